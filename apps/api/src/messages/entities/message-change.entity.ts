import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { MessageChangeKind } from '@parley/contracts';
import { Channel } from '@api/channels/entities/channel.entity';
import { bigintToNumber } from '@api/database/transformers';
import { Message } from './message.entity';

/**
 * One change to a stored message. Per channel, changeSeq runs 1, 2, 3, … with no gaps: it is
 * taken from channels.last_change_seq under the channel's row lock, in the transaction that
 * makes the change, so a reconnecting client reads every change after its cursor from here.
 */
@Entity('message_changes')
export class MessageChange {
  @PrimaryColumn({ type: 'uuid' })
  channelId!: string;

  @ManyToOne(() => Channel, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'channel_id' })
  channel?: Channel;

  @PrimaryColumn({ type: 'bigint', transformer: bigintToNumber })
  changeSeq!: number;

  @Column({ type: 'uuid' })
  messageId!: string;

  @ManyToOne(() => Message, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id' })
  message?: Message;

  @Column({ type: 'varchar', length: 16 })
  kind!: MessageChangeKind;

  /** Who made the change (for 'replied': who replied). */
  @Column({ type: 'uuid' })
  actorId!: string;

  /** For 'reacted': { emoji, added }. */
  @Column({ type: 'jsonb', nullable: true })
  detail!: { emoji: string; added: boolean } | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
