// HS256 access tokens exactly as the api issues them: { sub: userId, sid: sessionId }.
import { createHmac } from 'node:crypto';

const b64url = (value) => Buffer.from(value).toString('base64url');

export function signAccessToken(secret, userId, sessionId, ttlSeconds = 4 * 3600) {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ sub: userId, sid: sessionId, iat: now, exp: now + ttlSeconds }));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
