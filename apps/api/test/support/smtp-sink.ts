import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SentMail {
  to: string[];
  subject: string;
  text: string;
}

/** A real SMTP server on 127.0.0.1 that keeps every mail it receives. */
export class SmtpSink {
  /** While held, mails are received but not acknowledged (the sender waits), nor listed. */
  private held: (() => void)[] | null = null;

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    readonly mails: SentMail[],
  ) {}

  static async start(): Promise<SmtpSink> {
    const mails: SentMail[] = [];
    // eslint-disable-next-line prefer-const -- the server's callbacks need the sink made after it
    let sink: SmtpSink;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const [head, ...body] = raw.split(/\r?\n\r?\n/);
          const subject = /^Subject: (.*)$/im.exec(head)?.[1] ?? '';
          const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          const accept = () => {
            mails.push({ to, subject, text: decodeQuotedPrintable(body.join('\n\n')) });
            callback();
          };
          if (sink.held) sink.held.push(accept);
          else accept();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sink = new SmtpSink(server, (server.server.address() as AddressInfo).port, mails);
    return sink;
  }

  /** Stops finishing SMTP conversations: a sender that waits for the server waits until `release()`. */
  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const accept of held) accept();
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  mailsTo(email: string): SentMail[] {
    return this.mails.filter((mail) => mail.to.includes(email.toLowerCase()));
  }

  /** Waits for a mail to `email` that `matches`, and returns it. */
  async waitForMail(email: string, matches: (mail: SentMail) => boolean, timeoutMs = 5000): Promise<SentMail> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.mailsTo(email).find(matches);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`No matching mail reached ${email} within ${timeoutMs} ms`);
  }

  /** Waits for the next mail to `email` (after `already` mails) and returns the code in it. */
  async waitForCode(email: string, already = this.mailsTo(email).length, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const mails = this.mailsTo(email);
      if (mails.length > already) {
        const code = /\b(\d{6})\b/.exec(mails[mails.length - 1].text)?.[1];
        if (!code) throw new Error(`The mail to ${email} has no 6-digit code: ${mails[mails.length - 1].text}`);
        return code;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`No mail reached ${email} within ${timeoutMs} ms`);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
