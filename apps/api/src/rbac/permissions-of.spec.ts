import {
  ALL_PERMISSIONS,
  BUILT_IN_ROLE_PERMISSIONS,
  builtInRolesWith,
  Permission,
  permissionsOf,
  ROLE_CATALOGUE,
  RoleCatalogue,
  roleHas,
} from '@parley/contracts';

// The pure resolver of libs/contracts (which has no test runner of its own).
describe('permissionsOf', () => {
  /** A later version of the catalogue: one more permission, given to Owners and Admins. */
  const REACT = 'message.react' as Permission;
  const later: RoleCatalogue = {
    permissions: [...ALL_PERMISSIONS, REACT],
    builtIn: {
      ...BUILT_IN_ROLE_PERMISSIONS,
      owner: [...BUILT_IN_ROLE_PERMISSIONS.owner, REACT],
      admin: [...BUILT_IN_ROLE_PERMISSIONS.admin, REACT],
    },
  };

  it('gives a built-in role what the catalogue gives its kind, in catalogue order', () => {
    expect([...permissionsOf({ builtIn: 'owner', permissions: [] })]).toEqual([...ALL_PERMISSIONS]);
    expect([...permissionsOf({ builtIn: 'admin', permissions: [] })]).toEqual(
      ALL_PERMISSIONS.filter((p) => p !== Permission.WorkspaceDelete),
    );
    expect([...permissionsOf({ builtIn: 'member', permissions: [] })]).toEqual([...BUILT_IN_ROLE_PERMISSIONS.member]);
    expect(permissionsOf({ builtIn: 'guest', permissions: [] }).size).toBe(0);
  });

  it('ignores what a built-in row stores: the catalogue decides, in both directions', () => {
    // A row left from before built-in roles were computed, with an outdated copy.
    expect(permissionsOf({ builtIn: 'guest', permissions: [Permission.WorkspaceDelete] }).has(Permission.WorkspaceDelete)).toBe(
      false,
    );
    expect(permissionsOf({ builtIn: 'owner', permissions: [Permission.ChannelBrowse] }).has(Permission.WorkspaceDelete)).toBe(
      true,
    );
  });

  it('follows a later catalogue for built-in roles, with nothing stored', () => {
    const owner = { builtIn: 'owner' as const, permissions: [] };
    expect(roleHas(owner, REACT)).toBe(false);
    expect(roleHas(owner, REACT, later)).toBe(true);
    expect(roleHas({ builtIn: 'member', permissions: [] }, REACT, later)).toBe(false);
  });

  it('gives a custom role its stored permissions that the catalogue knows, in stored order, once each', () => {
    const custom = {
      builtIn: null,
      permissions: [Permission.AuditRead, 'message.react', Permission.ChannelBrowse, Permission.AuditRead],
    };
    expect([...permissionsOf(custom)]).toEqual([Permission.AuditRead, Permission.ChannelBrowse]);
    // A later catalogue that knows the name honours it; a custom role is never widened by one.
    expect([...permissionsOf(custom, later)]).toEqual([Permission.AuditRead, REACT, Permission.ChannelBrowse]);
    expect(permissionsOf({ builtIn: null, permissions: [] }, later).size).toBe(0);
  });

  it('gives nothing to a built-in kind the catalogue does not know', () => {
    expect(permissionsOf({ builtIn: 'superuser' as never, permissions: [Permission.WorkspaceDelete] }).size).toBe(0);
  });

  it('names the built-in kinds that hold a permission, for queries over many roles', () => {
    expect(builtInRolesWith(Permission.ChannelBrowse)).toEqual(['owner', 'admin', 'member']);
    expect(builtInRolesWith(Permission.WorkspaceDelete)).toEqual(['owner']);
    expect(builtInRolesWith(REACT)).toEqual([]);
    expect(builtInRolesWith(REACT, later)).toEqual(['owner', 'admin']);
  });

  it('the running catalogue is the contracts one, frozen', () => {
    expect(ROLE_CATALOGUE.permissions).toBe(ALL_PERMISSIONS);
    expect(ROLE_CATALOGUE.builtIn).toBe(BUILT_IN_ROLE_PERMISSIONS);
    expect(Object.isFrozen(ROLE_CATALOGUE)).toBe(true);
  });
});
