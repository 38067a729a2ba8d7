import { Permission } from '@parley/contracts';

/** Holding any one of these opens the admin console (the server still checks every call). */
export const ADMIN_PERMISSIONS: readonly Permission[] = [
  Permission.MemberManage,
  Permission.MemberRemove,
  Permission.MemberInvite,
  Permission.RoleManage,
  Permission.AuditRead,
  Permission.WorkspaceManage,
];

export type AdminSectionPath = 'members' | 'roles' | 'invites' | 'audit' | 'settings';

export interface AdminSection {
  path: AdminSectionPath;
  label: string;
  /** Any one of these shows the section. */
  anyOf: readonly Permission[];
}

/** The console's sections, in nav order. */
export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { path: 'members', label: 'Members', anyOf: [Permission.MemberManage, Permission.MemberRemove] },
  { path: 'roles', label: 'Roles', anyOf: [Permission.RoleManage] },
  { path: 'invites', label: 'Invites', anyOf: [Permission.MemberInvite] },
  { path: 'audit', label: 'Audit log', anyOf: [Permission.AuditRead] },
  { path: 'settings', label: 'Settings', anyOf: [Permission.WorkspaceManage] },
];

export function holdsAny(held: readonly Permission[], wanted: readonly Permission[]): boolean {
  return wanted.some((p) => held.includes(p));
}

/** Whether to offer the admin console at all (e.g. a nav link), from `WorkspaceDto.permissions`. */
export function canOpenAdmin(permissions: readonly Permission[]): boolean {
  return holdsAny(permissions, ADMIN_PERMISSIONS);
}

export function allowedSections(permissions: readonly Permission[]): AdminSection[] {
  return ADMIN_SECTIONS.filter((section) => holdsAny(permissions, section.anyOf));
}

/** Whether someone holding `held` may hand out a role made of `granted` (the server's rule). */
export function covers(held: readonly Permission[], granted: readonly Permission[]): boolean {
  return granted.every((p) => held.includes(p));
}
