import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppException } from '../common/app-exception';
import { AppConfig } from '../config/config';
import { TokenBuckets } from './token-buckets';

/**
 * Counts every request to the sign-in routes against its client address before the body is
 * read or parsed, so a flood from one address costs a map lookup per request, not a parse.
 * In process (each instance counts its own), and well above what sign-in needs: the
 * per-email and per-address limits of the auth service still apply behind it.
 */
export function addressRateLimit(config: Pick<AppConfig, 'rateLimits'>): RequestHandler {
  const buckets = new TokenBuckets(config.rateLimits.authBurst, config.rateLimits.authPerSecond);
  return (request: Request, _response: Response, next: NextFunction) => {
    const wait = buckets.take(request.ip ?? request.socket.remoteAddress ?? 'unknown');
    if (wait === 0) return next();
    // Unread, the body would stay in the socket: drain it, answer once it is in (or cut off).
    request.resume();
    next(AppException.rateLimited(wait, `Too many sign-in requests from this address; try again in ${wait} seconds`));
  };
}
