import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '@api/users/entities/user.entity';
import { Message } from './message.entity';

/** One person's reaction with one emoji on one message (the truth behind messages.reactions). */
@Entity('message_reactions')
@Index(['messageId', 'userId'])
export class MessageReaction {
  @PrimaryColumn({ type: 'uuid' })
  messageId!: string;

  @ManyToOne(() => Message, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id' })
  message?: Message;

  /** The emoji itself (Unicode), never a shortcode. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  emoji!: string;

  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
