import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Permission } from '@parley/contracts';
import { AuthUser } from '../auth/current-user';
import { AppException } from '../common/app-exception';
import { AccessScope, ACCESS_SCOPE, REQUIRED_PERMISSION } from './access.decorators';
import { workspaceRulePermission } from './access.rules';
import { AccessService } from './access.service';
import { WorkspaceAccess } from './workspace-access';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface GuardedRequest {
  user?: AuthUser;
  params: Record<string, string>;
  access?: WorkspaceAccess;
}

/**
 * REST access before the handler. A workspace route gets the caller's membership resolved
 * (404 when there is none: strangers learn nothing) and its permission checked (403: the one
 * it declares, or its rule's), and the membership left on the request (`@Access()`); its
 * service checks the rest of the rule. A channel, message or file route's rule is checked by its
 * service, the way the socket events are; here only a malformed id is turned away.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const scope = this.reflector.getAllAndOverride<AccessScope | undefined>(ACCESS_SCOPE, targets);
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, targets);
    if (!scope) {
      if (permission) throw new Error(`@RequirePermission(${permission}) needs @InWorkspace() on the route`);
      return true;
    }
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const user = request.user;
    if (!user) return true; // public route: nothing to resolve
    const id = request.params[scope.param];
    const what = { workspace: 'Workspace', channel: 'Channel', message: 'Message', file: 'File' }[scope.kind];
    if (!id || !UUID.test(id)) throw AppException.notFound(what);

    if (scope.kind !== 'workspace') {
      if (permission) throw new Error(`@RequirePermission(${permission}) does not apply to a ${scope.kind} route: its rule says what it needs`);
      return true;
    }
    const rulePermission = workspaceRulePermission(scope.action);
    if (permission && rulePermission) {
      throw new Error(`@RequirePermission(${permission}) on a route whose rule needs ${rulePermission}`);
    }
    // Left on the request before the permission is checked, so a refusal is logged in the workspace's audit chain.
    request.access = await this.access.requireWorkspace(user, id);
    const needed = permission ?? rulePermission;
    if (needed) request.access.require(needed);
    return true;
  }
}
