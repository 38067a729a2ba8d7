import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import {
  ALL_PERMISSIONS,
  BUILT_IN_ROLE_PERMISSIONS,
  PERMISSION_DESCRIPTIONS,
  type MemberDto,
  type Permission,
  type PermissionDto,
  type RoleDto,
  type WorkspaceDto,
} from '@parley/contracts';

/** Test data shaped like the api's answers. Used by the admin specs only. */
export const WS_ID = '11111111-1111-4111-8111-111111111111';

export function workspace(permissions: readonly Permission[], roleName = 'Admin'): WorkspaceDto {
  return {
    id: WS_ID,
    name: 'Acme',
    description: null,
    settings: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    role: { id: 'role-x', name: roleName, builtIn: null },
    permissions: [...permissions],
  };
}

export const ADMIN_PERMS = BUILT_IN_ROLE_PERMISSIONS.admin;

function role(
  id: string,
  name: string,
  builtIn: RoleDto['builtIn'],
  permissions: readonly Permission[],
  memberCount: number,
): RoleDto {
  return {
    id,
    workspaceId: WS_ID,
    name,
    permissions: [...permissions],
    builtIn,
    memberCount,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

export const ROLES: RoleDto[] = [
  role('r-owner', 'Owner', 'owner', BUILT_IN_ROLE_PERMISSIONS.owner, 1),
  role('r-admin', 'Admin', 'admin', BUILT_IN_ROLE_PERMISSIONS.admin, 1),
  role('r-member', 'Member', 'member', BUILT_IN_ROLE_PERMISSIONS.member, 1),
  role('r-guest', 'Guest', 'guest', BUILT_IN_ROLE_PERMISSIONS.guest, 0),
];

function member(userId: string, displayName: string, roleDto: RoleDto, state: MemberDto['state'] = 'active'): MemberDto {
  return {
    userId,
    email: `${displayName.toLowerCase()}@example.com`,
    displayName,
    avatarUrl: null,
    role: { id: roleDto.id, name: roleDto.name, builtIn: roleDto.builtIn },
    state,
    joinedAt: '2026-01-02T00:00:00.000Z',
  };
}

export const MEMBERS: MemberDto[] = [
  member('u-ana', 'Ana', ROLES[0]),
  member('u-ben', 'Ben', ROLES[1]),
  member('u-cleo', 'Cleo', ROLES[2]),
];

export const CATALOGUE: PermissionDto[] = ALL_PERMISSIONS.map((name) => ({ name, description: PERMISSION_DESCRIPTIONS[name] }));

/** Lets pending microtasks and timers run (router steps, lazy imports) so requests get sent. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** The one open request to `url` (waiting a little for it to be sent). */
export async function expectRequest(http: HttpTestingController, method: string, url: string): Promise<TestRequest> {
  for (let i = 0; i < 20; i++) {
    const found = http.match((req) => req.method === method && req.url === url);
    if (found.length === 1) return found[0];
    if (found.length > 1) throw new Error(`${found.length} requests to ${method} ${url}`);
    await settle(1);
  }
  return http.expectOne({ method, url });
}
