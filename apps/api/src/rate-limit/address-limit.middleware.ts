import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppException } from '../common/app-exception';
import { TokenBucketLimiter } from './token-buckets';

/**
 * Counts every request to the sign-in routes against its client address before the body is
 * read or parsed, so a flood from one address costs a bucket lookup per request (in Redis when
 * it is configured, so the address has one allowance across instances), not a parse. Well above
 * what sign-in needs: the per-email and per-address limits of the auth service still apply
 * behind it.
 */
export function addressRateLimit(limiter: TokenBucketLimiter): RequestHandler {
  return (request: Request, _response: Response, next: NextFunction) => {
    const answer = (wait: number) => {
      if (wait === 0) return next();
      // Unread, the body would stay in the socket: drain it, answer once it is in (or cut off).
      request.resume();
      next(AppException.rateLimited(wait, `Too many sign-in requests from this address; try again in ${wait} seconds`));
    };
    const wait = limiter.take(request.ip ?? request.socket.remoteAddress ?? 'unknown');
    if (typeof wait === 'number') answer(wait);
    // The limiters answer even when Redis is down; should one ever throw, the auth service's own limits still hold.
    else wait.then(answer, () => next());
  };
}
