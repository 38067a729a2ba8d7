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
  /** SHA-256 (hex) of the previous event of the chain; 64 zeros for the first. */
  prevHash: string;
  hash: string;
}

export interface AuditEventPage {
  items: AuditEventDto[];
  /** Pass as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenId?: string;
}
