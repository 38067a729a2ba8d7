import { HttpException, HttpStatus } from '@nestjs/common';
import { CommonErrorCode, ErrorCode, FieldError } from '@parley/contracts';

/**
 * The one exception the services throw: an HTTP status, a code from `libs/contracts`
 * and a message for a person. The exception filter turns it into the REST error body,
 * the gateway into a `{ ok: false, error }` acknowledgement.
 */
export class AppException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
    /** Seconds, for 429 answers. */
    readonly retryAfter?: number,
  ) {
    super(message, status);
  }

  static notFound(what: string): AppException {
    return new AppException(HttpStatus.NOT_FOUND, CommonErrorCode.NotFound, `${what} not found`);
  }

  static forbidden(message = 'You do not have permission to do that'): AppException {
    return new AppException(HttpStatus.FORBIDDEN, CommonErrorCode.Forbidden, message);
  }

  static rateLimited(retryAfter: number, message = 'Too many requests; try again later'): AppException {
    return new AppException(HttpStatus.TOO_MANY_REQUESTS, CommonErrorCode.RateLimited, message, undefined, retryAfter);
  }
}
