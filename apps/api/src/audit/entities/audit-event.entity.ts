import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AuditOutcome } from '@parley/contracts';
import { bigintToNumber } from '@api/database/transformers';

/**
 * One entry of the append-only audit log. Each workspace has its own hash chain (and
 * events outside any workspace, such as sign-ins, one more chain with a null workspace):
 * `seq` numbers an event within its chain from 1, `prevHash` is the hash of the event
 * before it, and `hash` is an HMAC with the audit key (never stored) over `prevHash` and every
 * other column, `id` and the time to the microsecond included (see audit-hash.ts). Signed
 * checkpoints of each chain's head live in `audit_checkpoints`.
 *
 * No foreign keys: the log must outlive the workspaces, users and things it names.
 * The database refuses UPDATE, DELETE and TRUNCATE on the table (a trigger, see the
 * AuditLog migration).
 */
@Entity('audit_events')
// One position per chain. A null workspace is a chain of its own, so the index treats nulls as
// equal (NULLS NOT DISTINCT, PostgreSQL 15+), which TypeORM cannot declare: the AuditLog
// migration creates it, and synchronize: false keeps the schema diff from touching it.
@Index('UQ_audit_events_chain_seq', { synchronize: false })
export class AuditEvent {
  /** Made by the service (it is hashed), never by the database. */
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', nullable: true })
  workspaceId!: string | null;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  seq!: number;

  /** Read it with exactTimeSql(): a Date would drop the microseconds the hash covers. */
  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 80 })
  action!: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  targetType!: string | null;

  @Column({ type: 'varchar', length: 80, nullable: true })
  targetId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: AuditOutcome;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;

  /** SHA-256 (hex) of the previous event of the chain; 64 zeros for the first. */
  @Column({ type: 'varchar', length: 64 })
  prevHash!: string;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;

  /** How `hash` was made: 2 keyed (every event since the AuditChainKeys migration), 1 the older unkeyed SHA-256. */
  @Column({ type: 'smallint' })
  hashVersion!: number;
}
