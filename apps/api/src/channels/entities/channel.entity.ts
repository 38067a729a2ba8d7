import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ChannelType } from '@parley/contracts';
import { bigintToNumber } from '@api/database/transformers';
import { Workspace } from '@api/workspaces/entities/workspace.entity';

@Entity('channels')
@Index(['workspaceId', 'name'], { unique: true, where: 'name IS NOT NULL' })
@Index(['workspaceId', 'dmKey'], { unique: true, where: 'dm_key IS NOT NULL' })
export class Channel {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  workspaceId!: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Workspace;

  @Column({ type: 'varchar', length: 16 })
  type!: ChannelType;

  /** Unique per workspace; null for DMs. */
  @Column({ type: 'varchar', length: 80, nullable: true })
  name!: string | null;

  @Column({ type: 'varchar', length: 250, nullable: true })
  topic!: string | null;

  /** For DMs and group DMs: the sorted user ids, so each set of people has one conversation. */
  @Column({ type: 'varchar', length: 400, nullable: true })
  dmKey!: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  archivedAt!: Date | null;

  /** The seq of the newest message (0 when empty); assigned with each message. */
  @Column({ type: 'bigint', default: 0, transformer: bigintToNumber })
  lastSeq!: number;

  /** The changeSeq of the newest message change (0 when none); taken by each edit and delete. */
  @Column({ type: 'bigint', default: 0, transformer: bigintToNumber })
  lastChangeSeq!: number;
}
