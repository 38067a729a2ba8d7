import type { Permission, PermissionDto } from '@parley/contracts';

export interface PermissionGroup {
  label: string;
  permissions: PermissionDto[];
}

const GROUP_OF_PREFIX: Record<string, string> = {
  workspace: 'Workspace',
  member: 'Members and roles',
  role: 'Members and roles',
  channel: 'Channels and messages',
  dm: 'Channels and messages',
  message: 'Channels and messages',
  audit: 'Audit and compliance',
  retention: 'Audit and compliance',
  legalhold: 'Audit and compliance',
  ediscovery: 'Audit and compliance',
};

/** The catalogue in readable groups, keeping the server's order within each. */
export function groupPermissions(catalogue: readonly PermissionDto[]): PermissionGroup[] {
  const groups = new Map<string, PermissionDto[]>();
  for (const permission of catalogue) {
    const label = GROUP_OF_PREFIX[permission.name.split('.')[0]] ?? 'Other';
    groups.set(label, [...(groups.get(label) ?? []), permission]);
  }
  return [...groups].map(([label, permissions]) => ({ label, permissions }));
}

/** The catalogue order, so a role's permissions are sent and shown in a stable order. */
export function inCatalogueOrder(selected: ReadonlySet<Permission>, catalogue: readonly PermissionDto[]): Permission[] {
  return catalogue.map((p) => p.name).filter((name) => selected.has(name));
}
