import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '@api/users/entities/user.entity';
import { bigintToNumber } from '@api/database/transformers';
import { Message } from './message.entity';

/**
 * A person and a thread: whether they follow it (automatic when they reply or are mentioned,
 * or by hand) and how far they have read its replies (a reply's seq).
 */
@Entity('thread_follows')
@Index(['userId', 'following'])
export class ThreadFollow {
  @PrimaryColumn({ type: 'uuid' })
  rootId!: string;

  @ManyToOne(() => Message, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'root_id' })
  root?: Message;

  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'boolean', default: true })
  following!: boolean;

  @Column({ type: 'bigint', default: 0, transformer: bigintToNumber })
  lastReadSeq!: number;
}
