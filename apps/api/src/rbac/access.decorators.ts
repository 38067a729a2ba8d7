import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse, ApiNotFoundResponse } from '@nestjs/swagger';
import { Permission } from '@parley/contracts';
import { WorkspaceAccess } from './workspace-access';

export const ACCESS_SCOPE = 'parley:access-scope';
export const REQUIRED_PERMISSION = 'parley:required-permission';

/** Where the guard finds the workspace a route acts in. */
export type AccessScope = { kind: 'workspace'; param: string } | { kind: 'channel'; param: string };

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
 * The route acts on the channel named by route parameter `param`; its workspace is resolved
 * from the channel. Whether the caller may see that channel is the service's first check.
 */
export const InChannel = (param = 'id') =>
  applyDecorators(
    SetMetadata(ACCESS_SCOPE, { kind: 'channel', param } satisfies AccessScope),
    ApiExtension('x-access-scope', `channel:${param}`),
    ApiNotFoundResponse({ description: 'No such channel, or you may not know it exists' }),
  );

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
  if (!access) throw new Error('@Access() used on a route without @InWorkspace() or @InChannel()');
  return access;
});
