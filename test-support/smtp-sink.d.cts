export interface SentMail {
  to: string[];
  subject: string;
  /** The body, quoted-printable decoded. */
  text: string;
  /** Headers and body as received, soft line breaks removed. */
  raw: string;
}

/** A real SMTP server on 127.0.0.1 that keeps every mail it receives. */
export declare class SmtpSink {
  private constructor();
  /** `timeoutMs`: how long the wait… methods wait by default (5 s). */
  static start(options?: { timeoutMs?: number }): Promise<SmtpSink>;
  readonly port: number;
  readonly mails: SentMail[];
  readonly url: string;
  /** Stops finishing SMTP conversations: a sender that waits for the server waits until `release()`. */
  hold(): void;
  release(): void;
  mailsTo(email: string): SentMail[];
  count(email: string): number;
  /** Waits for a mail to `email` that `matches`, and returns it. */
  waitForMail(email: string, matches: (mail: SentMail) => boolean, timeoutMs?: number): Promise<SentMail>;
  /** Waits for the next mail to `email` (after `already` mails; by default those there now) and returns the code in it. */
  waitForCode(email: string, already?: number, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}
