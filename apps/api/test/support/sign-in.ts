import { AuthResponse } from '@parley/contracts';
import request from 'supertest';
import { SmtpSink } from './smtp-sink';

/** Registers (or signs in) `email` through the real API, reading the code from the SMTP sink. */
export async function signIn(baseUrl: string, sink: SmtpSink, email: string, displayName = 'Test Person'): Promise<AuthResponse> {
  const before = sink.mailsTo(email).length;
  await request(baseUrl).post('/api/auth/register').send({ email, displayName }).expect(202);
  const code = await sink.waitForCode(email, before);
  const response = await request(baseUrl).post('/api/auth/verify').send({ email, code }).expect(200);
  return response.body as AuthResponse;
}
