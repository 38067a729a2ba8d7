import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SIGN_IN_CODE_LENGTH, SIGN_IN_CODE_MAX_ATTEMPTS, SIGN_IN_CODE_TTL_SECONDS, SIGN_IN_CODES_KEPT } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { auditedTransaction } from '../audit/audited-transaction';
import { AuthError, AuthException } from '../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { SignInCode } from './entities/sign-in-code.entity';
import { SignInCodeRepository } from './sign-in-code.repository';

/** A code that matched, not yet used: `consume` it once the sign-in can go ahead. */
export interface MatchedCode {
  id: string;
  /** The name given to `register`, if the code was asked for that way. */
  displayName: string | null;
}

/**
 * Emailed one-time codes: drawn from a CSPRNG, stored as a keyed hash, valid for ten
 * minutes, used once, compared in constant time, void after five wrong tries. Asking for a
 * new code leaves the latest few (SIGN_IN_CODES_KEPT) valid, so a second request (or
 * someone else's) never voids the code a person is about to type; using one voids the rest.
 */
@Injectable()
export class SignInCodesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly codes: SignInCodeRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(email: string, displayName: string | null): Promise<string> {
    const code = randomInt(0, 10 ** SIGN_IN_CODE_LENGTH)
      .toString()
      .padStart(SIGN_IN_CODE_LENGTH, '0');
    await auditedTransaction(this.dataSource, (manager) =>
      this.codes.insert(
        { email, codeHash: this.hash(email, code), displayName, expiresAt: new Date(Date.now() + SIGN_IN_CODE_TTL_SECONDS * 1000) },
        manager,
      ),
    );
    return code;
  }

  /**
   * Finds which of the email's latest codes `code` is, or throws a 401 saying why it cannot be
   * used. Every candidate is compared (in constant time), and a wrong code counts as a wrong try
   * against each live one, so keeping several codes valid gives no more guesses per code.
   */
  async match(email: string, code: string): Promise<MatchedCode> {
    const latest = await this.codes.findLatest(email, SIGN_IN_CODES_KEPT);
    const given = Buffer.from(this.hash(email, code), 'hex');
    let matched: SignInCode | null = null;
    for (const candidate of latest) {
      const expected = Buffer.from(candidate.codeHash, 'hex');
      if (expected.length === given.length && timingSafeEqual(expected, given)) matched ??= candidate;
    }
    const now = Date.now();
    const isLive = (candidate: SignInCode) => candidate.consumedAt === null && candidate.expiresAt.getTime() > now;

    if (matched) {
      if (matched.consumedAt !== null) throw matched.attempts >= SIGN_IN_CODE_MAX_ATTEMPTS ? attemptsExceeded() : invalid();
      if (!isLive(matched)) throw expired();
      return { id: matched.id, displayName: matched.displayName };
    }

    const live = latest.filter(isLive);
    if (!live.length) {
      const newest = latest[0];
      if (newest?.consumedAt && newest.attempts >= SIGN_IN_CODE_MAX_ATTEMPTS) throw attemptsExceeded();
      if (newest && newest.consumedAt === null) throw expired();
      throw invalid();
    }
    const attempts = await this.codes.countWrongTry(live.map((candidate) => candidate.id));
    if (attempts.every((count) => count >= SIGN_IN_CODE_MAX_ATTEMPTS)) throw attemptsExceeded();
    throw invalid();
  }

  /** Uses the code (once: a concurrent second use fails) and voids the email's other codes. */
  async consume(email: string, matched: MatchedCode): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.codes.consume(matched.id, manager))) throw invalid();
      await this.codes.voidUnused(email, manager);
    });
  }

  private hash(email: string, code: string): string {
    return createHmac('sha256', this.config.jwtSecret).update(`sign-in-code\0${email}\0${code}`).digest('hex');
  }
}

function invalid(): AuthException {
  return new AuthException(AuthError.CodeInvalid, 'That code is not valid');
}

function expired(): AuthException {
  return new AuthException(AuthError.CodeExpired, 'That code has expired; ask for a new one');
}

function attemptsExceeded(): AuthException {
  return new AuthException(AuthError.CodeAttemptsExceeded, 'Too many wrong tries; ask for a new code');
}
