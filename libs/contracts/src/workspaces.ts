import type { BroadcastMentionPolicy } from './mentions';
import type { BuiltInRole, Permission } from './permissions';

export interface RoleDto {
  id: string;
  workspaceId: string;
  name: string;
  permissions: Permission[];
  /** Set for the four built-in roles, which cannot be deleted or edited. */
  builtIn: BuiltInRole | null;
  memberCount: number;
  createdAt: string;
}

export interface RoleSummary {
  id: string;
  name: string;
  builtIn: BuiltInRole | null;
}

export interface WorkspaceDto {
  id: string;
  name: string;
  description: string | null;
  settings: WorkspaceSettings;
  createdAt: string;
  /** The caller's role here, and what it lets them do (for showing or hiding UI only). */
  role: RoleSummary;
  permissions: Permission[];
}

export interface WorkspaceSettings {
  /** Days a pending invite stays valid (1–90, default 7). */
  inviteExpiryDays?: number;
  /** Who may notify a whole channel with @channel / @here (default 'everyone'). */
  broadcastMentions?: BroadcastMentionPolicy;
  /** Read receipts in this workspace (default true); false: nobody sees anybody's. */
  readReceipts?: boolean;
}

export interface CreateWorkspaceRequest {
  name: string;
  description?: string;
}

export interface UpdateWorkspaceRequest {
  name?: string;
  description?: string | null;
  settings?: WorkspaceSettings;
}

export type MemberState = 'active' | 'deactivated';

export interface MemberDto {
  userId: string;
  email: string;
  displayName: string;
  avatarUrl: string | null;
  role: RoleSummary;
  state: MemberState;
  joinedAt: string;
}

export interface UpdateMemberRequest {
  roleId: string;
}

export interface CreateInviteRequest {
  email: string;
  roleId?: string;
}

export interface InviteDto {
  id: string;
  workspaceId: string;
  email: string;
  role: RoleSummary;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

/** Only the answer to creating an invite carries the link (its token is stored hashed). */
export interface CreatedInviteDto extends InviteDto {
  acceptUrl: string;
  token: string;
}

/** What someone holding an invite link may see before accepting it. */
export interface InvitePreviewDto {
  workspaceName: string;
  invitedByName: string;
  email: string;
  expiresAt: string;
}

export interface CreateRoleRequest {
  name: string;
  permissions: Permission[];
}

export interface UpdateRoleRequest {
  name?: string;
  permissions?: Permission[];
}

export interface UserSearchResultDto {
  id: string;
  email: string;
  displayName: string;
  avatarUrl: string | null;
}
