import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Audit events written with the change they record, in its transaction, before they have a
 * place in their chain. An audited action's transaction inserts its event here (no lock: actions
 * of one workspace commit side by side), and once it has committed the chainer moves every
 * waiting event of that chain into `audit_events` in one transaction under the chain's lock,
 * in `id` order, giving each its seq, time and hashes (AuditService.drain). Rows live here for
 * milliseconds; ones left by a crash are chained by the next drain or the periodic sweep.
 */
@Entity('audit_outbox')
export class AuditOutboxEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  /** The chain (null: events outside any workspace). */
  @Column({ type: 'uuid', nullable: true })
  workspaceId!: string | null;

  /** The event's content before its chain fields: AuditRecordInput, with the id it will keep. */
  @Column({ type: 'jsonb' })
  event!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
