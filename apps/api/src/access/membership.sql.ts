/**
 * SQL fragments for "an active member": written once, used by the repositories that join
 * workspace membership. `alias` is the workspace_members alias in the statement.
 */
export const activeMember = (alias: string): string => `${alias}.deactivated_at IS NULL`;
