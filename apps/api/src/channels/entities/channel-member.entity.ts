import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from '@api/database/transformers';
import { User } from '@api/users/entities/user.entity';
import { Channel } from './channel.entity';

@Entity('channel_members')
export class ChannelMember {
  @PrimaryColumn({ type: 'uuid' })
  channelId!: string;

  @Index()
  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => Channel, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'channel_id' })
  channel?: Channel;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  joinedAt!: Date;

  /** Read receipts: the seq of the last message this member has read. */
  @Column({ type: 'bigint', default: 0, transformer: bigintToNumber })
  lastReadSeq!: number;
}
