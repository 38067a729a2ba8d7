import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Permission, permissionsOf, RoleCatalogue, RoleDto, WorkspaceErrorCode } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { auditedTransaction } from '../audit/audited-transaction';
import { AuditContext } from '../audit/audit-context';
import { AppException } from '../common/app-exception';
import { isUniqueViolation } from '../common/db-errors';
import { CreateRoleDto, UpdateRoleDto } from './dto/role.dto';
import { Role } from './entities/role.entity';
import { InjectRoleCatalogue } from './role-catalogue';
import { WorkspaceAccess } from '../access/workspace-access';

/**
 * Custom roles. Built-in roles are fixed: they follow the catalogue of the running version and
 * are listed with what it gives them. Nobody can hand out a permission they do not hold.
 */
@Injectable()
export class RolesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRoleCatalogue() private readonly catalogue: RoleCatalogue,
  ) {}

  async list(access: WorkspaceAccess): Promise<RoleDto[]> {
    const roles = await this.dataSource.getRepository(Role).find({ where: { workspaceId: access.workspaceId }, order: { createdAt: 'ASC' } });
    const counts: { role_id: string; n: number }[] = await this.dataSource.query(
      `SELECT role_id, count(*)::int AS n FROM workspace_members WHERE workspace_id = $1 GROUP BY role_id`,
      [access.workspaceId],
    );
    const countOf = new Map(counts.map((row) => [row.role_id, row.n]));
    const order = ['owner', 'admin', 'member', 'guest'];
    return roles
      .sort((a, b) => (a.builtIn ? order.indexOf(a.builtIn) : 9) - (b.builtIn ? order.indexOf(b.builtIn) : 9))
      .map((role) => this.toRoleDto(role, countOf.get(role.id) ?? 0));
  }

  async create(access: WorkspaceAccess, dto: CreateRoleDto): Promise<RoleDto> {
    this.requireCovers(access, dto.permissions);
    try {
      const role = await auditedTransaction(this.dataSource, async (manager) => {
        const saved = await manager
          .getRepository(Role)
          .save({ workspaceId: access.workspaceId, name: dto.name, permissions: dto.permissions, builtIn: null });
        AuditContext.annotate({ targetId: saved.id, details: { name: saved.name } });
        return saved;
      });
      return this.toRoleDto(role, 0);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(dto.name);
      throw error;
    }
  }

  async update(access: WorkspaceAccess, roleId: string, dto: UpdateRoleDto): Promise<RoleDto> {
    const role = await this.find(access, roleId);
    if (role.builtIn) throw builtIn();
    this.requireCovers(access, permissionsOf(role, this.catalogue));
    if (dto.permissions) this.requireCovers(access, dto.permissions);
    if (dto.name !== undefined) role.name = dto.name;
    if (dto.permissions !== undefined) role.permissions = dto.permissions;
    try {
      await auditedTransaction(this.dataSource, (manager) => manager.getRepository(Role).save(role));
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(role.name);
      throw error;
    }
    return (await this.list(access)).find((r) => r.id === role.id)!;
  }

  async remove(access: WorkspaceAccess, roleId: string): Promise<void> {
    const role = await this.find(access, roleId);
    if (role.builtIn) throw builtIn();
    const [{ members, invites }]: { members: number; invites: number }[] = await this.dataSource.query(
      `SELECT (SELECT count(*)::int FROM workspace_members WHERE role_id = $1) AS members,
              (SELECT count(*)::int FROM invites WHERE role_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()) AS invites`,
      [role.id],
    );
    if (members > 0 || invites > 0) {
      throw new AppException(
        HttpStatus.CONFLICT,
        WorkspaceErrorCode.RoleInUse,
        `The role is assigned to ${members} member(s) and ${invites} pending invite(s); give them another role first`,
      );
    }
    await auditedTransaction(this.dataSource, (manager) => manager.getRepository(Role).delete({ id: role.id }));
  }

  private async find(access: WorkspaceAccess, roleId: string): Promise<Role> {
    const role = await this.dataSource.getRepository(Role).findOneBy({ id: roleId, workspaceId: access.workspaceId });
    if (!role) throw AppException.notFound('Role');
    return role;
  }

  private requireCovers(access: WorkspaceAccess, permissions: Iterable<Permission>): void {
    if (!access.covers(permissions)) {
      throw new AppException(HttpStatus.FORBIDDEN, WorkspaceErrorCode.RoleAboveYours, 'You cannot grant permissions you do not have');
    }
  }

  private toRoleDto(role: Role, memberCount: number): RoleDto {
    return {
      id: role.id,
      workspaceId: role.workspaceId,
      name: role.name,
      permissions: [...permissionsOf(role, this.catalogue)],
      builtIn: role.builtIn,
      memberCount,
      createdAt: role.createdAt.toISOString(),
    };
  }
}

function builtIn(): AppException {
  return new AppException(HttpStatus.CONFLICT, WorkspaceErrorCode.RoleBuiltIn, 'Built-in roles cannot be changed or deleted');
}

function nameTaken(name: string): AppException {
  return new AppException(HttpStatus.CONFLICT, WorkspaceErrorCode.RoleNameTaken, `There is already a role called "${name}"`);
}
