import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse, ApiNotFoundResponse } from '@nestjs/swagger';
import { Permission } from '@parley/contracts';
import {
  ChannelAction,
  describeChannelRule,
  describeFileRule,
  describeMessageRule,
  MessageAction,
  describeWorkspaceRule,
  WorkspaceAction,
  workspaceRulePermission,
} from './access.rules';
import { WorkspaceAccess } from './workspace-access';

export const ACCESS_SCOPE = 'parley:access-scope';
export const REQUIRED_PERMISSION = 'parley:required-permission';

/** Where the guard finds the workspace a route acts in, and the rule of what it does there. */
export type AccessScope =
  | { kind: 'workspace'; param: string; action?: WorkspaceAction }
  | { kind: 'channel'; param: string; action: ChannelAction }
  | { kind: 'message'; param: string; action: MessageAction }
  | { kind: 'file'; param: string; action: ChannelAction };

/**
 * The route acts inside the workspace named by route parameter `param`: the caller must be
 * an active member (else 404, so a stranger cannot tell the workspace exists). With an
 * `action`, the route does what its rule in access.rules.ts says: the guard checks the rule's
 * permission, the service the rest first thing; this states it for the route list and Swagger.
 */
export const InWorkspace = (param = 'id', action?: WorkspaceAction) => {
  const permission = workspaceRulePermission(action);
  return applyDecorators(
    SetMetadata(ACCESS_SCOPE, { kind: 'workspace', param, action } satisfies AccessScope),
    ApiExtension('x-access-scope', `workspace:${param}`),
    ApiNotFoundResponse({ description: 'No such workspace, or you are not an active member of it' }),
    ...(action
      ? [
          ApiExtension('x-access-rule', describeWorkspaceRule(param, undefined, action)),
          ...(permission ? [ApiExtension('x-permission', permission)] : []),
          ApiForbiddenResponse({ description: `Allowed to: ${describeWorkspaceRule(param, undefined, action)}` }),
        ]
      : []),
  );
};

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

/**
 * The route does `action` to the message named by route parameter `param`. The service checks
 * it first thing (`AccessService.requireMessage`); this states the rule for the route list and Swagger.
 */
export const OnMessage = (param: string, action: MessageAction) =>
  applyDecorators(
    SetMetadata(ACCESS_SCOPE, { kind: 'message', param, action } satisfies AccessScope),
    ApiExtension('x-access-rule', describeMessageRule(action, param)),
    ApiNotFoundResponse({ description: 'No such message, or you may not know it exists' }),
    ApiForbiddenResponse({ description: `Allowed to: ${describeMessageRule(action, param)}` }),
  );

/**
 * The route does `action` (a channel action: a file's access is its channel's) with the file
 * named by route parameter `param`. The service checks it first thing (`AccessService.requireFile`).
 */
export const OnFile = (param: string, action: ChannelAction) =>
  applyDecorators(
    SetMetadata(ACCESS_SCOPE, { kind: 'file', param, action } satisfies AccessScope),
    ApiExtension('x-access-rule', describeFileRule(action, param)),
    ApiNotFoundResponse({ description: 'No such file, or you may not know it exists' }),
    ApiForbiddenResponse({ description: `Allowed to: ${describeFileRule(action, param)}` }),
  );

/** The rule a route declares, in words (the route-access snapshot prints it). */
export function describeRouteRule(scope: AccessScope | undefined, permission: Permission | undefined): string | null {
  if (!scope) return null;
  switch (scope.kind) {
    case 'workspace':
      return describeWorkspaceRule(scope.param, permission, scope.action);
    case 'channel':
      return describeChannelRule(scope.action, scope.param);
    case 'message':
      return describeMessageRule(scope.action, scope.param);
    case 'file':
      return describeFileRule(scope.action, scope.param);
  }
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
