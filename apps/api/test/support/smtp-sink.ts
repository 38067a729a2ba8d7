// The SMTP sink shared with the browser tests (test-support/smtp-sink.cjs), under the name the tests import.
export { SmtpSink } from '../../../../test-support/smtp-sink.cjs';
export type { SentMail } from '../../../../test-support/smtp-sink.cjs';
