import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from '@api/database/transformers';

/**
 * A signed checkpoint of one audit chain's head: how many events it had, the hash of the last
 * one, when, and an HMAC with the audit key over all of it. Kept apart from the events (and
 * append-only like them, see the AuditChainKeys migration), written every CHECKPOINT_EVERY
 * events, every few minutes while a chain grows, and on each export. `verify` refuses a chain
 * shorter than a checkpoint says, or whose event at a checkpoint's count has another hash: so
 * deleting the newest events, or all of them, shows even though the chain left is consistent.
 */
@Entity('audit_checkpoints')
@Index('IDX_audit_checkpoints_chain', ['workspaceId', 'eventCount'])
export class AuditCheckpoint {
  /** Made by the service (it is signed). */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid', nullable: true })
  workspaceId!: string | null;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  eventCount!: number;

  @Column({ type: 'varchar', length: 64 })
  headHash!: string;

  /** Read it with exactTimeSql(), like AuditEvent.occurredAt. */
  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  /** What wrote it: `count`, `timer` or `export`. */
  @Column({ type: 'varchar', length: 16 })
  reason!: string;

  @Column({ type: 'varchar', length: 64 })
  signature!: string;
}
