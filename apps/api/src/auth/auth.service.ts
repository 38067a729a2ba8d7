import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuthResponse, CodeSentResponse, SIGN_IN_CODE_TTL_SECONDS } from '@parley/contracts';
import { AuditContext } from '../audit/audit-context';
import { AppException } from '../common/app-exception';
import { APP_CONFIG, AppConfig } from '../config/config';
import { MailService } from '../mail/mail.service';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { toUserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { ClientInfo } from './current-user';
import { SessionsService } from './sessions.service';
import { SignInCodesService } from './sign-in-codes.service';

/** The one answer to every code request, so nobody can learn who has an account. */
const CODE_SENT: CodeSentResponse = { message: 'If that address can sign in, a code is on its way.' };

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly codes: SignInCodesService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly mail: MailService,
    private readonly rateLimit: RateLimitService,
  ) {}

  /** Registering an email that already has an account sends a sign-in code instead of failing. */
  async register(email: string, displayName: string, client: ClientInfo): Promise<CodeSentResponse> {
    await this.limit('code', email, client, this.config.rateLimits.codeRequestsPerEmail, this.config.rateLimits.codeRequestsPerIp);
    const existing = await this.users.findByEmail(email);
    await this.sendCode(email, existing ? null : displayName);
    return CODE_SENT;
  }

  /** An unknown email gets the same answer and no mail. */
  async login(email: string, client: ClientInfo): Promise<CodeSentResponse> {
    await this.limit('code', email, client, this.config.rateLimits.codeRequestsPerEmail, this.config.rateLimits.codeRequestsPerIp);
    if (await this.users.findByEmail(email)) await this.sendCode(email, null);
    return CODE_SENT;
  }

  async verify(email: string, code: string, client: ClientInfo): Promise<AuthResponse> {
    await this.limit('verify', email, client, this.config.rateLimits.verifyPerEmail, this.config.rateLimits.verifyPerIp);
    const verified = await this.codes.verify(email, code);
    const user = await this.users.findOrCreate(email, verified.displayName);
    AuditContext.annotate({ actorId: user.id, targetId: user.id });
    const tokens = await this.sessions.start(user.id, client);
    return { ...tokens, user: toUserDto(user) };
  }

  private async sendCode(email: string, displayName: string | null): Promise<void> {
    const code = await this.codes.issue(email, displayName);
    const minutes = SIGN_IN_CODE_TTL_SECONDS / 60;
    // Sent in the background: the answer must not wait on (or reveal anything through) the mail server.
    this.mail
      .send(
        {
          to: email,
          subject: `${code} is your Parley sign-in code`,
          text: `Your Parley sign-in code is ${code}\n\nIt works once, for ${minutes} minutes. If you did not ask for it, you can ignore this email.\n\n${this.config.publicUrl}\n`,
        },
        `Sign-in code for ${email}: ${code}`,
      )
      .catch((error: Error) => this.logger.error(`Could not send the sign-in code to ${email}: ${error.message}`));
  }

  private async limit(kind: string, email: string, client: ClientInfo, perEmail: number, perIp: number): Promise<void> {
    AuditContext.annotate({ details: { email } });
    const window = this.config.rateLimits.windowSeconds;
    const byEmail = await this.rateLimit.hit(`auth:${kind}:email:${email}`, perEmail, window);
    const byIp = client.ip ? await this.rateLimit.hit(`auth:${kind}:ip:${client.ip}`, perIp, window) : byEmail;
    if (!byEmail.allowed || !byIp.allowed) {
      const retryAfter = Math.max(byEmail.allowed ? 0 : byEmail.retryAfter, byIp.allowed ? 0 : byIp.retryAfter);
      throw AppException.rateLimited(retryAfter, `Too many attempts; try again in ${retryAfter} seconds`);
    }
  }
}
