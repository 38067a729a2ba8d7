import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Channel } from '@api/channels/entities/channel.entity';
import { bigintToNumber } from '@api/database/transformers';
import { Message } from '@api/messages/entities/message.entity';
import { User } from '@api/users/entities/user.entity';
import { Workspace } from '@api/workspaces/entities/workspace.entity';

/**
 * One uploaded file (issue #14): its metadata here, its bytes in the storage under
 * `storageKey` (and, for images, `previewKey` and `thumbnailKey`). Uploaded into a channel,
 * attached to at most one message when that is sent; never attached, it is removed after
 * FILE_UNATTACHED_TTL_HOURS. Deleting the message sets `deletedAt` (every read path then leaves
 * it out); the bytes go once no legal hold keeps them.
 */
@Entity('files')
@Index('IDX_files_channel_attached', ['channelId', 'createdAt'], { where: 'message_id IS NOT NULL AND deleted_at IS NULL' })
@Index('IDX_files_unattached', ['createdAt'], { where: 'message_id IS NULL' })
// What the file sweeper may purge (FileAttachmentsRepository.findPurgeable): removed, bytes still stored.
@Index('IDX_files_purgeable', ['deletedAt'], { where: 'deleted_at IS NOT NULL AND purged_at IS NULL' })
@Index(['workspaceId'])
@Index(['messageId'])
export class StoredFile {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  workspaceId!: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Workspace;

  @Column({ type: 'uuid' })
  channelId!: string;

  @ManyToOne(() => Channel, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'channel_id' })
  channel?: Channel;

  @Column({ type: 'uuid' })
  uploaderId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'uploader_id' })
  uploader?: User;

  /** Set when the message that carries it is stored. */
  @Column({ type: 'uuid', nullable: true })
  messageId!: string | null;

  @ManyToOne(() => Message, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'message_id' })
  message?: Message;

  /** Sanitised (FileDto.name). */
  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  size!: number;

  /** Detected from the bytes. */
  @Column({ type: 'text' })
  mimeType!: string;

  /** Hex SHA-256 of the original's bytes. */
  @Column({ type: 'text' })
  sha256!: string;

  @Column({ type: 'integer', nullable: true })
  width!: number | null;

  @Column({ type: 'integer', nullable: true })
  height!: number | null;

  @Column({ type: 'text' })
  storageKey!: string;

  @Column({ type: 'text', nullable: true })
  previewKey!: string | null;

  @Column({ type: 'text', nullable: true })
  thumbnailKey!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** Its message was deleted (or the file removed): gone from every read path. */
  @Column({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  /** The bytes were removed from the storage (after deletedAt, when no hold keeps them). */
  @Column({ type: 'timestamptz', nullable: true })
  purgedAt!: Date | null;
}
