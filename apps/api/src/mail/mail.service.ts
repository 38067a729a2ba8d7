import { Inject, Injectable, Logger } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../config/config';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends mail through SMTP_URL. Without it (the zero-configuration mode) a mail is
 * written to the server log instead, so a person can still sign in.
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transporter | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = config.smtpUrl ? createTransport(config.smtpUrl) : null;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  async send(message: MailMessage, logLine: string): Promise<void> {
    if (!this.transport) {
      this.logger.log(logLine);
      return;
    }
    await this.transport.sendMail({ from: this.config.mailFrom, ...message });
  }
}
