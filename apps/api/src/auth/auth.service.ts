import { Inject, Injectable } from '@nestjs/common';
import { AuthResponse, CodeSentResponse, SIGN_IN_CODE_TTL_SECONDS } from '@parley/contracts';
import { AuditContext } from '../audit/audit-context';
import { AppException } from '../common/app-exception';
import { AuthError, AuthException } from '../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { MailService } from '../mail/mail.service';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { toUserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { ClientInfo } from './current-user';
import { SessionsService } from './sessions.service';
import { SignInCodesService } from './sign-in-codes.service';

/** The one answer to every code request, so nobody can learn who has an account. */
const CODE_SENT: CodeSentResponse = { message: 'We sent a sign-in code to that address.' };

/**
 * Sign-in is one flow: ask for a code (any email, known or not, gets one), then verify it,
 * which signs in or, the first time, creates the account.
 */
@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly codes: SignInCodesService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly mail: MailService,
    private readonly rateLimit: RateLimitService,
  ) {}

  /**
   * Sends a code to `email`. Nothing here depends on whether the email has an account (it is
   * not even looked up) and the mail is only queued, so the answer and the time it takes are
   * the same for everyone. `displayName` (from `register`) names the account if one is created.
   */
  async requestCode(email: string, displayName: string | null, client: ClientInfo): Promise<CodeSentResponse> {
    const limits = this.config.rateLimits;
    await this.limit('code', email, client, limits.codeRequestsPerEmailAddress, limits.codeRequestsPerEmail, limits.codeRequestsPerIp);
    const code = await this.codes.issue(email, displayName);
    const minutes = SIGN_IN_CODE_TTL_SECONDS / 60;
    this.mail.enqueue(
      {
        to: email,
        subject: `${code} is your Parley sign-in code`,
        text: `Your Parley sign-in code is ${code}\n\nIt works once, for ${minutes} minutes. If you did not ask for it, you can ignore this email.\n\n${this.config.publicUrl}\n`,
      },
      `Sign-in code for ${email}: ${code}`,
      `Could not send the sign-in code to ${email}`,
    );
    return CODE_SENT;
  }

  /**
   * Signs in with a code, creating the account the first time. A new account needs a name: given
   * here or to `register`; without one the answer says so and the code stays valid for the retry.
   */
  async verify(email: string, code: string, displayName: string | null, client: ClientInfo): Promise<AuthResponse> {
    const limits = this.config.rateLimits;
    await this.limit('verify', email, client, limits.verifyPerEmailAddress, limits.verifyPerEmail, limits.verifyPerIp);
    const matched = await this.codes.match(email, code);
    const existing = await this.users.findByEmail(email);
    const name = displayName ?? matched.displayName;
    if (!existing && !name) {
      throw new AuthException(
        AuthError.DisplayNameRequired,
        'This email has no account yet: send the code again with the displayName the new account gets',
      );
    }
    await this.codes.consume(email, matched);
    const user = existing ?? (await this.users.findOrCreate(email, name));
    AuditContext.annotate({ actorId: user.id, targetId: user.id });
    const tokens = await this.sessions.start(user.id, client);
    return { ...tokens, user: toUserDto(user) };
  }

  /**
   * Counts the attempt against the email and client address together, the address, and the email
   * from anywhere, in that order, stopping at the first limit reached: someone hammering another
   * person's email from their own address fills only their own pair's and address's counters and
   * adds at most a pair's worth to the email's (higher) ceiling, so the person can still sign in.
   */
  private async limit(kind: string, email: string, client: ClientInfo, perPair: number, perEmail: number, perIp: number): Promise<void> {
    AuditContext.annotate({ details: { email } });
    const window = this.config.rateLimits.windowSeconds;
    const address = client.ip ?? 'unknown';
    const checks: [string, number][] = [
      [`auth:${kind}:pair:${address}:${email}`, perPair],
      [`auth:${kind}:ip:${address}`, perIp],
      [`auth:${kind}:email:${email}`, perEmail],
    ];
    for (const [key, limit] of checks) {
      const result = await this.rateLimit.hit(key, limit, window);
      if (!result.allowed) {
        throw AppException.rateLimited(result.retryAfter, `Too many attempts; try again in ${result.retryAfter} seconds`);
      }
    }
  }
}
