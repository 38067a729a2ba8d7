/**
 * Events the workspaces module emits (awaited with emitAsync) so that modules above it,
 * such as channels and realtime, can react without workspaces depending on them.
 */
export const WorkspaceEvent = {
  Created: 'workspace.created',
  MemberJoined: 'workspace.member.joined',
  MemberRemoved: 'workspace.member.removed',
  MemberDeactivated: 'workspace.member.deactivated',
  MemberReactivated: 'workspace.member.reactivated',
  Deleted: 'workspace.deleted',
} as const;

export interface WorkspaceMemberEvent {
  workspaceId: string;
  userId: string;
}
