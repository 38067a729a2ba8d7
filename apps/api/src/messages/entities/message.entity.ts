import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Channel } from '@api/channels/entities/channel.entity';
import { bigintToNumber } from '@api/database/transformers';

@Entity('messages')
@Index(['channelId', 'seq'], { unique: true })
@Index(['senderId', 'clientMsgId'], { unique: true })
@Index(['threadRootId', 'seq'])
@Index('IDX_messages_pinned', ['channelId', 'pinnedAt'], { where: 'pinned_at IS NOT NULL' })
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

  /** The thread root this replies to; replies page by (thread_root_id, seq). */
  @Column({ type: 'uuid', nullable: true })
  threadRootId!: string | null;

  /** A reply that is also shown in the channel's history ("also send to channel"). */
  @Column({ type: 'boolean', default: false })
  alsoInChannel!: boolean;

  /** On a root: its replies, kept by the statement that stores them (under the channel's lock). */
  @Column({ type: 'integer', default: 0 })
  replyCount!: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastReplyAt!: Date | null;

  /** The first THREAD_REPLIERS_SHOWN distinct repliers, in order. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  replierIds!: string[];

  /**
   * The reactions as a message shows them ([{emoji, count, userIds}], see ReactionDto), kept
   * from message_reactions by the change that adds or removes one, so a read path needs no join.
   */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  reactions!: { emoji: string; count: number; userIds: string[] }[];

  @Column({ type: 'timestamptz', nullable: true })
  pinnedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  pinnedBy!: string | null;

  /** A quoted copy of the source when this message was forwarded (ForwardedFrom). */
  @Column({ type: 'jsonb', nullable: true })
  forwardedFrom!: { messageId: string; channelId: string; senderId: string; createdAt: string; text: string } | null;

  /** Who the text mentions (MessageMentions), as resolved when stored or last edited; null for none. */
  @Column({ type: 'jsonb', nullable: true })
  mentions!: { userIds: string[]; channelIds: string[]; broadcast: 'channel' | 'here' | null } | null;

  /**
   * The attached files as a message shows them (FileDto without its URLs, which are made from
   * the id), in the order sent, copied from `files` when the message is stored so a read path
   * needs no join; emptied when the message is deleted.
   */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  files!: { id: string; name: string; size: number; mimeType: string; width: number | null; height: number | null; kind: 'image' | 'video' | 'audio' | 'file'; uploaderId: string; createdAt: string }[];
}
