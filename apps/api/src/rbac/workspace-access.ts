import { HttpStatus } from '@nestjs/common';
import { BuiltInRole, CommonErrorCode, Permission } from '@parley/contracts';
import { AppException } from '../common/app-exception';

/** Who is acting in which workspace, with which role. */
export class WorkspaceAccess {
  constructor(
    readonly userId: string,
    readonly workspaceId: string,
    readonly roleId: string,
    readonly roleName: string,
    readonly builtIn: BuiltInRole | null,
    readonly permissions: ReadonlySet<Permission>,
  ) {}

  can(permission: Permission): boolean {
    return this.permissions.has(permission);
  }

  /** Throws 403 unless the role holds `permission`. */
  require(permission: Permission): void {
    if (!this.can(permission)) {
      throw new AppException(HttpStatus.FORBIDDEN, CommonErrorCode.Forbidden, `You need the permission ${permission} to do that`);
    }
  }

  /** True when every permission of `others` is also the caller's: nobody hands out more than they hold. */
  covers(others: Iterable<Permission>): boolean {
    for (const permission of others) if (!this.permissions.has(permission)) return false;
    return true;
  }
}
