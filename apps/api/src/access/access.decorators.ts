import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse, ApiNotFoundResponse } from '@nestjs/swagger';
import { Permission } from '@parley/contracts';
import { ChannelAction, describeChannelRule, describeWorkspaceRule } from './access.rules';
import { WorkspaceAccess } from './workspace-access';

export const ACCESS_SCOPE = 'parley:access-scope';
export const REQUIRED_PERMISSION = 'parley:required-permission';

/** Where the guard finds the workspace a route acts in. */
export type AccessScope = { kind: 'workspace'; param: string } | { kind: 'channel'; param: string; action: ChannelAction };

/**
 * The route acts inside the workspace named by route parameter `param`: the caller must be
 * an active member (else 404, so a stranger cannot tell the workspace exists).
 */
export const InWorkspace = (param = 'id') =>
  applyDecorators(
    SetMetadata(ACCESS_SCOPE, { kind: 'workspace', param } satisfies AccessScope),
    ApiExtension('x-access-scope', `workspace:${param}`),
    ApiNotFoundResponse({ description: 'No such workspace, or you are not an active member of it' }),
  );

/**
 * The route does `action` to the channel named by route parameter `param`. The service checks
 * it first thing (`AccessService.requireChannel`, the same call the socket events make); this
 * states the rule for the route list and Swagger.
 */
export const InChannel = (param: string, action: ChannelAction) =>
  applyDecorators(
    SetMetadata(ACCESS_SCOPE, { kind: 'channel', param, action } satisfies AccessScope),
    ApiExtension('x-access-rule', describeChannelRule(action, param)),
    ApiNotFoundResponse({ description: 'No such channel, or you may not know it exists' }),
    ApiForbiddenResponse({ description: `Allowed to: ${describeChannelRule(action, param)}` }),
  );

/** The rule a route declares, in words (the route-access snapshot prints it). */
export function describeRouteRule(scope: AccessScope | undefined, permission: Permission | undefined): string | null {
  if (!scope) return null;
  return scope.kind === 'workspace' ? describeWorkspaceRule(scope.param, permission) : describeChannelRule(scope.action, scope.param);
}

/** The permission the caller's role must hold in the route's workspace (403 without it). */
export const RequirePermission = (permission: Permission) =>
  applyDecorators(
    SetMetadata(REQUIRED_PERMISSION, permission),
    ApiExtension('x-permission', permission),
    ApiForbiddenResponse({ description: `Needs the permission ${permission}` }),
  );

/** The caller's membership of the route's workspace, resolved by the guard. */
export const Access = createParamDecorator((_: unknown, context: ExecutionContext): WorkspaceAccess => {
  const access = context.switchToHttp().getRequest<{ access?: WorkspaceAccess }>().access;
  if (!access) throw new Error('@Access() used on a route without @InWorkspace()');
  return access;
});
