// A real SMTP server on 127.0.0.1 that keeps every mail it receives: the one sink of the api's
// integration tests (apps/api/test/support/smtp-sink.ts) and the browser tests (e2e/support/env.mjs).
// CommonJS so that jest's CommonJS test files, `tsc` (node16 resolution) and plain ESM all load it
// as it is; its types are in smtp-sink.d.cts.
'use strict';
const { SMTPServer } = require('smtp-server');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function decodeQuotedPrintable(text) {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

class SmtpSink {
  /** Use `SmtpSink.start()`. */
  constructor(server, mails, timeoutMs) {
    this.server = server;
    this.port = server.server.address().port;
    this.mails = mails;
    this.timeoutMs = timeoutMs;
    /** While held, mails are received but not acknowledged (the sender waits), nor listed. */
    this.held = null;
  }

  /** `timeoutMs`: how long the wait… methods wait by default. */
  static async start({ timeoutMs = 5000 } = {}) {
    const mails = [];
    let sink = null;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks = [];
        stream.on('data', (chunk) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const [head, ...body] = raw.split(/\r?\n\r?\n/);
          const subject = /^Subject: (.*)$/im.exec(head)?.[1] ?? '';
          const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          const accept = () => {
            mails.push({ to, subject, text: decodeQuotedPrintable(body.join('\n\n')), raw: raw.replace(/=\r?\n/g, '') });
            callback();
          };
          if (sink.held) sink.held.push(accept);
          else accept();
        });
      },
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    sink = new SmtpSink(server, mails, timeoutMs);
    return sink;
  }

  get url() {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Stops finishing SMTP conversations: a sender that waits for the server waits until `release()`. */
  hold() {
    this.held ??= [];
  }

  release() {
    const held = this.held ?? [];
    this.held = null;
    for (const accept of held) accept();
  }

  mailsTo(email) {
    return this.mails.filter((mail) => mail.to.includes(email.toLowerCase()));
  }

  /** How many mails reached `email` so far. */
  count(email) {
    return this.mailsTo(email).length;
  }

  /** Waits for a mail to `email` that `matches`, and returns it. */
  async waitForMail(email, matches, timeoutMs = this.timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.mailsTo(email).find(matches);
      if (found) return found;
      await sleep(20);
    }
    throw new Error(`No matching mail reached ${email} within ${timeoutMs} ms`);
  }

  /** Waits for the next mail to `email` (after `already` mails; by default those there now) and returns the code in it. */
  async waitForCode(email, already = this.count(email), timeoutMs = this.timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const mails = this.mailsTo(email);
      if (mails.length > already) {
        const code = /\b(\d{6})\b/.exec(mails[mails.length - 1].text)?.[1];
        if (!code) throw new Error(`The mail to ${email} has no 6-digit code: ${mails[mails.length - 1].text}`);
        return code;
      }
      await sleep(20);
    }
    throw new Error(`No mail reached ${email} within ${timeoutMs} ms`);
  }

  async stop() {
    await new Promise((resolve) => this.server.close(() => resolve()));
  }
}

module.exports = { SmtpSink };
