import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ApiErrorBody, CommonErrorCode, ErrorCode } from '@parley/contracts';
import type { Response } from 'express';
import { AppException } from './app-exception';
import { classifyDatabaseError } from './db-errors';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: CommonErrorCode.BadRequest,
  401: CommonErrorCode.Unauthorized,
  403: CommonErrorCode.Forbidden,
  404: CommonErrorCode.NotFound,
  409: CommonErrorCode.Conflict,
  413: CommonErrorCode.PayloadTooLarge,
  429: CommonErrorCode.RateLimited,
  503: CommonErrorCode.ServiceUnavailable,
};

/** Errors raised by Express middleware (body-parser) carry a status and a type. */
interface MiddlewareError {
  status?: number;
  statusCode?: number;
  type?: string;
  message?: string;
}

/** Builds the REST error body `{ statusCode, error, message, code }` for any thrown value. */
export function toErrorBody(exception: unknown): { body: ApiErrorBody; retryAfter?: number } {
  // A database failure nobody caught: bad input it refused is a 4xx, an outage a 503, and
  // its own words (tables, types, values) never reach the client.
  const database = exception instanceof AppException ? null : classifyDatabaseError(exception);
  if (database) return toErrorBody(database);
  if (exception instanceof AppException) {
    const status = exception.getStatus();
    return {
      body: {
        statusCode: status,
        error: HttpStatus[status] ? titleCase(HttpStatus[status]) : 'Error',
        message: exception.message,
        code: exception.code,
        ...(exception.fields ? { fields: exception.fields } : {}),
      },
      retryAfter: exception.retryAfter,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const raw = typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;
    const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : exception.message;
    return {
      body: {
        statusCode: status,
        error: titleCase(HttpStatus[status] ?? 'Error'),
        message,
        code: CODE_BY_STATUS[status] ?? (status >= 500 ? CommonErrorCode.Internal : CommonErrorCode.BadRequest),
      },
    };
  }
  const middleware = exception as MiddlewareError | null;
  const status = middleware?.status ?? middleware?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message =
      middleware?.type === 'entity.too.large'
        ? 'Request body is too large'
        : middleware?.type === 'entity.parse.failed'
          ? 'Request body is not valid JSON'
          : (middleware?.message ?? 'Bad request');
    return {
      body: {
        statusCode: status,
        error: titleCase(HttpStatus[status] ?? 'Error'),
        message,
        code: CODE_BY_STATUS[status] ?? CommonErrorCode.BadRequest,
      },
    };
  }
  return {
    body: {
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Something went wrong on our side',
      code: CommonErrorCode.Internal,
    },
  };
}

function titleCase(constant: string): string {
  return constant
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** Runs before an error answer is written: the audit log records the refused or failed request there. */
export type BeforeErrorResponse = (body: ApiErrorBody) => Promise<void>;

const BEFORE_ERROR_RESPONSE = Symbol('parley:before-error-response');

/** Registers, for one request, what must happen before its error answer leaves (the filter waits for it). */
export function onBeforeErrorResponse(request: object, hook: BeforeErrorResponse): void {
  (request as { [BEFORE_ERROR_RESPONSE]?: BeforeErrorResponse })[BEFORE_ERROR_RESPONSE] = hook;
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void | Promise<void> {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const { body, retryAfter } = toErrorBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    } else if (!(exception instanceof AppException) && classifyDatabaseError(exception)) {
      this.logger.error(`Input validation missed what the database refused: ${exception instanceof Error ? exception.message : String(exception)}`);
    }
    const send = () => {
      if (response.headersSent) return;
      if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
      response.status(body.statusCode).json(body);
    };
    const before = http.getRequest<{ [BEFORE_ERROR_RESPONSE]?: BeforeErrorResponse }>()[BEFORE_ERROR_RESPONSE];
    if (!before) return send();
    // The hook reports its own failures; whatever happens there, the client gets its answer.
    return before(body)
      .catch((error: unknown) =>
        this.logger.error(`Before the error answer: ${error instanceof Error ? error.message : String(error)}`),
      )
      .then(send)
      .catch((error: unknown) =>
        this.logger.error(`Could not write the error answer: ${error instanceof Error ? error.message : String(error)}`),
      );
  }
}
