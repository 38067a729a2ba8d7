import { HttpException, HttpStatus } from '@nestjs/common';
import { ErrorCode, FieldError } from '@parley/contracts';
import { CommonError, ERROR_ANSWERS } from './error-answers';

/**
 * The one exception the api throws: an HTTP status, a code from `libs/contracts` and a
 * message for a person. The exception filter turns it into the REST error body, the gateway
 * into a `{ ok: false, error }` acknowledgement. Nobody picks the status: the module
 * exceptions (`domain-errors.ts`) and the helpers below take it from `ERROR_ANSWERS`.
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

  /** A generic refusal or failure; its status and code come from `ERROR_ANSWERS.common`. */
  static of(reason: CommonError, message: string, fields?: FieldError[], retryAfter?: number): AppException {
    const { status, code } = ERROR_ANSWERS.common[reason];
    return new AppException(status, code, message, fields, retryAfter);
  }

  static notFound(what: string): AppException {
    return AppException.of(CommonError.NotFound, `${what} not found`);
  }

  static forbidden(message = 'You do not have permission to do that'): AppException {
    return AppException.of(CommonError.Forbidden, message);
  }

  static rateLimited(retryAfter: number, message = 'Too many requests; try again later'): AppException {
    return AppException.of(CommonError.RateLimited, message, undefined, retryAfter);
  }

  /** VALIDATION_FAILED, naming the offending fields when it can. */
  static invalid(message: string, fields?: FieldError[]): AppException {
    return AppException.of(CommonError.InvalidInput, message, fields);
  }
}
