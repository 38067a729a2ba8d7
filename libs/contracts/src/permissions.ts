/**
 * The fixed permission catalogue. Roles are sets of these; every REST route and socket
 * event names the one it needs (or is open to any member of the workspace).
 */
export const Permission = {
  WorkspaceManage: 'workspace.manage',
  WorkspaceDelete: 'workspace.delete',
  MemberInvite: 'member.invite',
  MemberRemove: 'member.remove',
  MemberManage: 'member.manage',
  RoleManage: 'role.manage',
  ChannelCreatePublic: 'channel.create.public',
  ChannelCreatePrivate: 'channel.create.private',
  ChannelBrowse: 'channel.browse',
  ChannelManage: 'channel.manage',
  ChannelArchive: 'channel.archive',
  DmCreate: 'dm.create',
  MessageDeleteAny: 'message.delete.any',
  AuditRead: 'audit.read',
  AuditExport: 'audit.export',
  RetentionManage: 'retention.manage',
  LegalHoldManage: 'legalhold.manage',
  EdiscoveryExport: 'ediscovery.export',
} as const;

export type Permission = (typeof Permission)[keyof typeof Permission];

export const ALL_PERMISSIONS: readonly Permission[] = Object.values(Permission);

export const PERMISSION_DESCRIPTIONS: Record<Permission, string> = {
  'workspace.manage': 'Rename the workspace and change its description and settings',
  'workspace.delete': 'Delete the workspace',
  'member.invite': 'Invite people to the workspace and manage pending invites',
  'member.remove': 'Remove members from the workspace',
  'member.manage': "Change members' roles, deactivate and reactivate members",
  'role.manage': 'Create, edit and delete custom roles',
  'channel.create.public': 'Create public channels',
  'channel.create.private': 'Create private channels',
  'channel.browse': 'See and join the public channels of the workspace',
  'channel.manage': 'Rename channels, change topics and manage channel members',
  'channel.archive': 'Archive and unarchive channels',
  'dm.create': 'Start direct messages with anyone in the workspace',
  'message.delete.any': "Delete other people's messages",
  'audit.read': 'Read the audit log',
  'audit.export': 'Export the audit log',
  'retention.manage': 'Set data retention policies',
  'legalhold.manage': 'Place and release legal holds',
  'ediscovery.export': 'Run eDiscovery exports',
};

/**
 * Permissions in the catalogue whose feature is not built yet: nothing checks them, so
 * granting one changes nothing today. The role editor shows them as "coming" and does not
 * offer them. The issue that builds a feature removes its permission from this set.
 */
export const PLANNED_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  Permission.RetentionManage,
  Permission.LegalHoldManage,
  Permission.EdiscoveryExport,
]);

/** Whether the feature behind a permission exists (see PLANNED_PERMISSIONS). */
export function isPermissionAvailable(permission: Permission): boolean {
  return !PLANNED_PERMISSIONS.has(permission);
}

export type BuiltInRole = 'owner' | 'admin' | 'member' | 'guest';

export const BUILT_IN_ROLE_NAMES: Record<BuiltInRole, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
  guest: 'Guest',
};

/**
 * What each built-in role may do. Guests have no permission at all: they see and post
 * only in the channels they were added to, and message only people who share one.
 */
export const BUILT_IN_ROLE_PERMISSIONS: Record<BuiltInRole, readonly Permission[]> = {
  owner: ALL_PERMISSIONS,
  admin: ALL_PERMISSIONS.filter((p) => p !== Permission.WorkspaceDelete),
  member: [
    Permission.ChannelCreatePublic,
    Permission.ChannelCreatePrivate,
    Permission.ChannelBrowse,
    Permission.DmCreate,
    Permission.MemberInvite,
  ],
  guest: [],
};

/**
 * The permissions a version of Parley knows and what its built-in roles hold. Built-in roles
 * are resolved from this at access time and never stored, so a permission added here reaches
 * every existing Owner at once. The running version has one, ROLE_CATALOGUE; a catalogue is a
 * value so that a test can stand for a later version (one more permission) without changing
 * this one.
 */
export interface RoleCatalogue {
  readonly permissions: readonly Permission[];
  readonly builtIn: Readonly<Record<BuiltInRole, readonly Permission[]>>;
}

export const ROLE_CATALOGUE: RoleCatalogue = Object.freeze({
  permissions: ALL_PERMISSIONS,
  builtIn: BUILT_IN_ROLE_PERMISSIONS,
});

/** A role as stored: built-in ones name their kind (and store nothing), custom ones list their permissions. */
export interface StoredRole {
  builtIn: BuiltInRole | null;
  /** Stored names; a name the catalogue does not know (a permission since withdrawn) grants nothing. */
  permissions: readonly string[];
}

const compiled = new WeakMap<RoleCatalogue, { known: ReadonlySet<string>; builtIn: Map<string, ReadonlySet<Permission>> }>();

function compile(catalogue: RoleCatalogue) {
  let found = compiled.get(catalogue);
  if (!found) {
    found = {
      known: new Set<string>(catalogue.permissions),
      builtIn: new Map(Object.entries(catalogue.builtIn).map(([role, permissions]) => [role, new Set(permissions)])),
    };
    compiled.set(catalogue, found);
  }
  return found;
}

/**
 * What a role may do: a built-in role what the catalogue gives its kind (whatever its row
 * holds), a custom role the permissions it stores that the catalogue knows, in stored order.
 * A built-in kind the catalogue does not know holds nothing.
 */
export function permissionsOf(role: StoredRole, catalogue: RoleCatalogue = ROLE_CATALOGUE): ReadonlySet<Permission> {
  const { known, builtIn } = compile(catalogue);
  if (role.builtIn !== null) return builtIn.get(role.builtIn) ?? new Set<Permission>();
  return new Set(role.permissions.filter((name): name is Permission => known.has(name)));
}

/** Whether the role holds the permission (see permissionsOf). */
export function roleHas(role: StoredRole, permission: Permission, catalogue: RoleCatalogue = ROLE_CATALOGUE): boolean {
  return permissionsOf(role, catalogue).has(permission);
}

/** The built-in kinds that hold a permission: what a query over many roles needs, as a parameter. */
export function builtInRolesWith(permission: Permission, catalogue: RoleCatalogue = ROLE_CATALOGUE): BuiltInRole[] {
  return (Object.keys(catalogue.builtIn) as BuiltInRole[]).filter((role) => catalogue.builtIn[role].includes(permission));
}

export interface PermissionDto {
  name: Permission;
  description: string;
}
