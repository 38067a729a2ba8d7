import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Message } from './message.entity';

/** An earlier text of an edited message, kept when an edit replaced it (the edit history). */
@Entity('message_versions')
@Index(['messageId', 'replacedAt'])
export class MessageVersion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  messageId!: string;

  @ManyToOne(() => Message, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id' })
  message?: Message;

  @Column({ type: 'text' })
  text!: string;

  /** When this text was written: the message's creation, or the edit before. */
  @Column({ type: 'timestamptz' })
  writtenAt!: Date;

  @Column({ type: 'timestamptz' })
  replacedAt!: Date;
}
