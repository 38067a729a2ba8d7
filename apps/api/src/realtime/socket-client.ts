import type { IncomingMessage } from 'node:http';
import type { ClientInfo } from '../auth/current-user';

/** Express's compiled `trust proxy` (`app.get('trust proxy fn')`): whether the address `hop` proxies away is a trusted proxy. */
export type TrustFunction = (address: string, hop: number) => boolean;

/**
 * The client facts of a socket's handshake, as a request's are read (`Client`): the address as
 * Express's req.ip reads it (the peer, or behind trusted proxies the nearest X-Forwarded-For
 * entry that is not one), and the user agent.
 */
export function socketClient(request: Pick<IncomingMessage, 'headers' | 'socket'>, trust: TrustFunction): ClientInfo {
  const forwarded = String(request.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .reverse();
  const addresses = [request.socket.remoteAddress ?? '', ...forwarded];
  let hop = 0;
  while (hop < addresses.length - 1 && trust(addresses[hop], hop)) hop++;
  const userAgent = request.headers['user-agent'];
  return { ip: addresses[hop] || null, userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null };
}
