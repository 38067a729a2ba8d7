import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AuthErrorCode,
  SIGN_IN_CODE_LENGTH,
  SIGN_IN_CODE_MAX_ATTEMPTS,
  SIGN_IN_CODE_TTL_SECONDS,
} from '@parley/contracts';
import { DataSource, IsNull } from 'typeorm';
import { auditedTransaction } from '../audit/audited-transaction';
import { AppException } from '../common/app-exception';
import { APP_CONFIG, AppConfig } from '../config/config';
import { SignInCode } from './entities/sign-in-code.entity';

/** What a verified code tells about the person who asked for it. */
export interface VerifiedCode {
  /** The name given at registration, if the code was asked for by registering. */
  displayName: string | null;
}

/**
 * Emailed one-time codes: drawn from a CSPRNG, stored as a keyed hash, valid for ten
 * minutes, used once, compared in constant time, void after five wrong tries. Asking
 * for a new code voids the older ones of that email.
 */
@Injectable()
export class SignInCodesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(email: string, displayName: string | null): Promise<string> {
    const code = randomInt(0, 10 ** SIGN_IN_CODE_LENGTH)
      .toString()
      .padStart(SIGN_IN_CODE_LENGTH, '0');
    await auditedTransaction(this.dataSource, async (manager) => {
      const codes = manager.getRepository(SignInCode);
      await codes.update({ email, consumedAt: IsNull() }, { consumedAt: new Date() });
      await codes.insert({
        email,
        codeHash: this.hash(email, code),
        displayName,
        expiresAt: new Date(Date.now() + SIGN_IN_CODE_TTL_SECONDS * 1000),
      });
    });
    return code;
  }

  /** Consumes the code or throws a 401 saying why it cannot be used. */
  async verify(email: string, code: string): Promise<VerifiedCode> {
    const codes = this.dataSource.getRepository(SignInCode);
    const latest = await codes.findOne({ where: { email }, order: { createdAt: 'DESC' } });
    if (!latest) throw invalid();
    if (latest.consumedAt !== null) {
      throw latest.attempts >= SIGN_IN_CODE_MAX_ATTEMPTS ? attemptsExceeded() : invalid();
    }
    if (latest.expiresAt.getTime() <= Date.now()) {
      throw new AppException(HttpStatus.UNAUTHORIZED, AuthErrorCode.CodeExpired, 'That code has expired; ask for a new one');
    }

    const expected = Buffer.from(latest.codeHash, 'hex');
    const given = Buffer.from(this.hash(email, code), 'hex');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      const result = await codes
        .createQueryBuilder()
        .update()
        .set({
          attempts: () => 'attempts + 1',
          consumedAt: () => `CASE WHEN attempts + 1 >= ${SIGN_IN_CODE_MAX_ATTEMPTS} THEN now() ELSE consumed_at END`,
        })
        .where('id = :id AND consumed_at IS NULL', { id: latest.id })
        .returning('attempts')
        .execute();
      const rows = result.raw as { attempts: number }[];
      if (!rows.length || rows[0].attempts >= SIGN_IN_CODE_MAX_ATTEMPTS) throw attemptsExceeded();
      throw invalid();
    }

    const consumed = await codes
      .createQueryBuilder()
      .update()
      .set({ consumedAt: () => 'now()' })
      .where('id = :id AND consumed_at IS NULL', { id: latest.id })
      .execute();
    if (!consumed.affected) throw invalid();
    return { displayName: latest.displayName };
  }

  private hash(email: string, code: string): string {
    return createHmac('sha256', this.config.jwtSecret).update(`sign-in-code\0${email}\0${code}`).digest('hex');
  }
}

function invalid(): AppException {
  return new AppException(HttpStatus.UNAUTHORIZED, AuthErrorCode.CodeInvalid, 'That code is not valid');
}

function attemptsExceeded(): AppException {
  return new AppException(
    HttpStatus.UNAUTHORIZED,
    AuthErrorCode.CodeAttemptsExceeded,
    'Too many wrong tries; ask for a new code',
  );
}
