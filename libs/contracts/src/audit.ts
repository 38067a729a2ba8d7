export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEventDto {
  id: string;
  workspaceId: string | null;
  /** Position in its workspace's chain, from 1. */
  seq: number;
  occurredAt: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
  /** The hash of the previous event of the chain; 64 zeros for the first. */
  prevHash: string;
  /** HMAC-SHA-256 (hex) with the server's audit key over prevHash and every other field (version 2). */
  hash: string;
  /** 2: keyed HMAC over every field; 1: unkeyed SHA-256 of events written before keyed chains. */
  hashVersion: number;
}

/** A signed checkpoint of a chain's head, kept apart from the events (JSONL exports end with them). */
export interface AuditCheckpointDto {
  id: string;
  workspaceId: string | null;
  /** Events in the chain when it was written: the seq of its head. */
  eventCount: number;
  headHash: string;
  createdAt: string;
  /** What wrote it: `count` (every N events), `timer` or `export`. */
  reason: string;
  /** HMAC-SHA-256 (hex) with the server's audit key. */
  signature: string;
}

export interface AuditEventPage {
  items: AuditEventDto[];
  /** Pass as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null;
}

/** Why a chain does not verify. */
export type AuditVerifyProblem =
  /** An event is missing, or out of place, in the sequence. */
  | 'sequence'
  /** An event does not follow the one before it. */
  | 'prev_hash'
  /** An event's content, id or time is not what its keyed hash was made over. */
  | 'hash'
  /** A checkpoint was not signed with the audit key. */
  | 'checkpoint_signature'
  /** The event a checkpoint names has another hash now. */
  | 'checkpoint_mismatch'
  /** The chain ends before a checkpoint's count: its newest events were removed. */
  | 'truncated';

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  /** The first event that does not hold (absent when events are missing from the end). */
  firstBrokenId?: string;
  problem?: AuditVerifyProblem;
  /** What is wrong, for a person. */
  message?: string;
  /** Signed checkpoints of the chain that were checked. */
  checkpoints: number;
}

/**
 * The actions the api records by name (each audited route names one); any other audited
 * request is recorded as `METHOD /path`.
 */
export const AuditAction = {
  AuditExport: 'audit.export',
  AuthCodeRequest: 'auth.code.request',
  AuthRefresh: 'auth.refresh',
  AuthSessionRevoke: 'auth.session.revoke',
  AuthSignIn: 'auth.sign_in',
  AuthSignOut: 'auth.sign_out',
  ChannelArchive: 'channel.archive',
  ChannelCreate: 'channel.create',
  ChannelJoin: 'channel.join',
  ChannelLeave: 'channel.leave',
  ChannelMemberAdd: 'channel.member.add',
  ChannelMemberRemove: 'channel.member.remove',
  ChannelUnarchive: 'channel.unarchive',
  ChannelUpdate: 'channel.update',
  DmOpen: 'dm.open',
  InviteAccept: 'invite.accept',
  InviteCreate: 'invite.create',
  InviteRevoke: 'invite.revoke',
  MemberDeactivate: 'member.deactivate',
  MemberReactivate: 'member.reactivate',
  MemberRemove: 'member.remove',
  MemberRoleChange: 'member.role.change',
  MessageDelete: 'message.delete',
  MessageEdit: 'message.edit',
  RoleCreate: 'role.create',
  RoleDelete: 'role.delete',
  RoleUpdate: 'role.update',
  UserUpdate: 'user.update',
  WorkspaceCreate: 'workspace.create',
  WorkspaceDelete: 'workspace.delete',
  WorkspaceUpdate: 'workspace.update',
} as const;

export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

/** Every named action, for filters and checks. */
export const AUDIT_ACTIONS: readonly AuditAction[] = Object.values(AuditAction);
