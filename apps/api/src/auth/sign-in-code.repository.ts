import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SIGN_IN_CODE_MAX_ATTEMPTS } from '@parley/contracts';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { SignInCode } from './entities/sign-in-code.entity';

export type NewSignInCode = Pick<SignInCode, 'email' | 'codeHash' | 'displayName' | 'expiresAt'>;

/** The emailed one-time codes (stored as keyed hashes): the only place that queries `sign_in_codes`. */
@Injectable()
export class SignInCodeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(code: NewSignInCode, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(SignInCode).insert(code);
  }

  /** The email's `count` newest codes, used or not, newest first. */
  async findLatest(email: string, count: number): Promise<SignInCode[]> {
    return this.dataSource.getRepository(SignInCode).find({ where: { email }, order: { createdAt: 'DESC' }, take: count });
  }

  /**
   * Counts a wrong try against each of the codes still unused; a code that reaches
   * SIGN_IN_CODE_MAX_ATTEMPTS is used up in the same statement. Answers the attempts of each.
   */
  async countWrongTry(ids: string[]): Promise<number[]> {
    const result = await this.dataSource
      .getRepository(SignInCode)
      .createQueryBuilder()
      .update()
      .set({
        attempts: () => 'attempts + 1',
        consumedAt: () => `CASE WHEN attempts + 1 >= ${SIGN_IN_CODE_MAX_ATTEMPTS} THEN now() ELSE consumed_at END`,
      })
      .where('id IN (:...ids) AND consumed_at IS NULL', { ids })
      .returning('attempts')
      .execute();
    return (result.raw as { attempts: number }[]).map((row) => row.attempts);
  }

  /** Uses the code, unless it was used already (a concurrent second use loses): whether this call used it. */
  async consume(id: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const used = await manager
      .getRepository(SignInCode)
      .createQueryBuilder()
      .update()
      .set({ consumedAt: () => 'now()' })
      .where('id = :id AND consumed_at IS NULL', { id })
      .execute();
    return Boolean(used.affected);
  }

  /** Voids every code of the email still unused. */
  async voidUnused(email: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(SignInCode).update({ email, consumedAt: IsNull() }, { consumedAt: new Date() });
  }
}
