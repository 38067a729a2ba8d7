import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '@api/users/entities/user.entity';
import { bigintToNumber } from '@api/database/transformers';
import { Message } from './message.entity';

/**
 * A person a message notified: mentioned by name while in the channel, or by @channel (every
 * member then) or @here (every member online then); never its sender. The truth behind
 * ChannelDto.mentionCount (these rows after the person's read position) and thread auto-follow.
 * Deleting or editing the mention away removes the row.
 */
@Entity('message_mentions')
@Index(['messageId'])
export class MessageMention {
  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @PrimaryColumn({ type: 'uuid' })
  channelId!: string;

  /** The message's seq in its channel. */
  @PrimaryColumn({ type: 'bigint', transformer: bigintToNumber })
  seq!: number;

  @Column({ type: 'uuid' })
  messageId!: string;

  @ManyToOne(() => Message, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id' })
  message?: Message;
}
