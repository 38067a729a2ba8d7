import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Channel } from '@api/channels/entities/channel.entity';
import { bigintToNumber } from '@api/database/transformers';

@Entity('messages')
@Index(['channelId', 'seq'], { unique: true })
@Index(['senderId', 'clientMsgId'], { unique: true })
export class Message {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  channelId!: string;

  @ManyToOne(() => Channel, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'channel_id' })
  channel?: Channel;

  /** Per channel, gap-free: taken from channels.last_seq in the statement that stores the message. */
  @Column({ type: 'bigint', transformer: bigintToNumber })
  seq!: number;

  @Column({ type: 'uuid' })
  senderId!: string;

  /** Stored exactly as written. */
  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'uuid' })
  clientMsgId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  editedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  threadRootId!: string | null;
}
