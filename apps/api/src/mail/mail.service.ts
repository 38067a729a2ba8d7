import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../config/config';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

interface QueuedMail {
  message: MailMessage;
  logLine: string;
  /** Said in the log if the mail cannot be sent (the caller has answered long ago). */
  failure: string;
}

/** At shutdown, mail still queued gets this long to go out. */
const SHUTDOWN_DRAIN_MS = 3000;

/**
 * Sends mail through SMTP_URL. Without it (the zero-configuration mode) a mail is
 * written to the terminal instead, so a person can still sign in.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transporter | null;
  private readonly queue: QueuedMail[] = [];
  private draining: Promise<void> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = config.smtpUrl ? createTransport(config.smtpUrl) : null;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  async send(message: MailMessage, logLine: string): Promise<void> {
    if (!this.transport) {
      this.print(logLine);
      return;
    }
    await this.transport.sendMail({ from: this.config.mailFrom, ...message });
  }

  /**
   * Queues a mail and returns at once: nothing of the SMTP conversation (connecting, a slow or
   * unreachable server) happens on the caller's request, so its answer and its timing say nothing
   * about whether a mail was sent. Mails go out one after the other, in order.
   */
  enqueue(message: MailMessage, logLine: string, failure: string): void {
    this.queue.push({ message, logLine, failure });
    this.draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
  }

  /** Resolves once every mail queued so far has gone out (or failed to). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.draining) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_DRAIN_MS)));
    await Promise.race([this.draining, gaveUp]);
    clearTimeout(timer);
    this.transport?.close();
  }

  private async drain(): Promise<void> {
    for (let mail = this.queue.shift(); mail; mail = this.queue.shift()) {
      try {
        await this.send(mail.message, mail.logLine);
      } catch (error) {
        this.logger.error(`${mail.failure}: ${(error as Error).message}`);
      }
    }
    this.draining = null;
  }

  /**
   * Without a mail server the line is what a person copies from the terminal, so in the pretty
   * format it is printed plain, between blank lines, without the logger's prefix (pid, date, level,
   * context) that buries it. JSON logs keep it a log entry so log collectors still parse every line.
   */
  private print(line: string): void {
    if (!['log', 'debug', 'verbose'].includes(this.config.logLevel)) return;
    if (this.config.logFormat === 'json') this.logger.log(line);
    else process.stdout.write(`\n    ${line}\n\n`);
  }
}
