import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One emailed one-time code. Only its keyed hash is stored. */
@Entity('sign_in_codes')
@Index(['email', 'createdAt'])
export class SignInCode {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 320 })
  email!: string;

  /** HMAC-SHA256 of the code, hex. */
  @Column({ type: 'varchar', length: 64 })
  codeHash!: string;

  /** Set when the code was asked for by registration: the name the account gets on first sign-in. */
  @Column({ type: 'varchar', length: 80, nullable: true })
  displayName!: string | null;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  /** Set when the code was used, replaced by a newer one, or voided by too many wrong tries. */
  @Column({ type: 'timestamptz', nullable: true })
  consumedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
