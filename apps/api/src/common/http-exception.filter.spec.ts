import { BadRequestException, HttpStatus, NotFoundException } from '@nestjs/common';
import { AuthErrorCode, CommonErrorCode } from '@parley/contracts';
import { AppException } from './app-exception';
import { toErrorBody } from './http-exception.filter';

describe('toErrorBody', () => {
  it('keeps the code, message and fields of an AppException', () => {
    const { body } = toErrorBody(
      new AppException(HttpStatus.BAD_REQUEST, CommonErrorCode.ValidationFailed, 'Invalid input', [{ field: 'email', errors: ['bad'] }]),
    );
    expect(body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Invalid input',
      code: CommonErrorCode.ValidationFailed,
      fields: [{ field: 'email', errors: ['bad'] }],
    });
  });

  it('carries Retry-After for rate limits', () => {
    expect(toErrorBody(AppException.rateLimited(42)).retryAfter).toBe(42);
  });

  it('gives framework exceptions a code from their status', () => {
    expect(toErrorBody(new NotFoundException('Cannot GET /x')).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /x',
      code: CommonErrorCode.NotFound,
    });
    expect(toErrorBody(new BadRequestException(['a is bad', 'b is bad'])).body.message).toBe('a is bad; b is bad');
  });

  it('maps body-parser errors to 4xx', () => {
    expect(toErrorBody({ status: 413, type: 'entity.too.large' }).body).toMatchObject({ statusCode: 413, code: CommonErrorCode.PayloadTooLarge });
    expect(toErrorBody({ status: 400, type: 'entity.parse.failed' }).body).toMatchObject({ statusCode: 400, code: CommonErrorCode.BadRequest });
  });

  it('hides the details of anything else behind a 500', () => {
    const { body } = toErrorBody(new Error('connection string postgres://secret'));
    expect(body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong on our side', code: CommonErrorCode.Internal });
  });

  it('answers database errors in our words: bad input a 400, an outage a 503', () => {
    const refused = toErrorBody(Object.assign(new Error('null value in column "display_name" violates not-null constraint'), { code: '23502' })).body;
    expect(refused).toMatchObject({ statusCode: 400, code: CommonErrorCode.ValidationFailed });
    expect(refused.message).not.toMatch(/display_name|constraint/);
    const down = toErrorBody(Object.assign(new Error('the database system is shutting down'), { code: '57P03' })).body;
    expect(down).toMatchObject({ statusCode: 503, code: CommonErrorCode.ServiceUnavailable });
    expect(down.message).not.toMatch(/shutting/);
  });

  it('keeps auth codes', () => {
    expect(toErrorBody(new AppException(401, AuthErrorCode.CodeExpired, 'expired')).body.code).toBe('AUTH_CODE_EXPIRED');
  });
});
