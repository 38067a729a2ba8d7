import { HttpStatus } from '@nestjs/common';
import { CommonErrorCode } from '@parley/contracts';
import { AppException } from '../common/app-exception';
import { toAck, toHandshakeError } from './ack';

const fail = (error: unknown) => toAck(() => Promise.reject(error));

describe('toAck', () => {
  it('answers the result', async () => {
    await expect(toAck(() => Promise.resolve(3))).resolves.toEqual({ ok: true, data: 3 });
  });

  it('says only rate limits and outages are retryable', async () => {
    const validation = new AppException(HttpStatus.BAD_REQUEST, CommonErrorCode.ValidationFailed, 'Invalid input: seq');
    await expect(fail(validation)).resolves.toEqual({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: 'Invalid input: seq', retryable: false },
    });
    await expect(fail(AppException.notFound('Channel'))).resolves.toMatchObject({ error: { retryable: false } });
    await expect(fail(AppException.rateLimited(3))).resolves.toMatchObject({ error: { code: 'RATE_LIMITED', retryable: true } });
    const down = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    await expect(fail(down)).resolves.toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE', retryable: true } });
    await expect(fail(new Error('Connection terminated unexpectedly'))).resolves.toMatchObject({
      error: { code: 'SERVICE_UNAVAILABLE', retryable: true },
    });
  });

  it('answers bad input the database refused as a validation error, without its words', async () => {
    const ack = await fail(
      Object.assign(new Error('value "9223372036854775808" is out of range for type bigint'), { code: '22003' }),
    );
    expect(ack).toEqual({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.any(String), retryable: false } });
    expect(JSON.stringify(ack)).not.toMatch(/bigint|9223372036854775808/);
  });

  it('does not invite retries of a bug', async () => {
    await expect(fail(new TypeError('x is undefined'))).resolves.toEqual({
      ok: false,
      error: { code: CommonErrorCode.Internal, message: 'Something went wrong on our side', retryable: false },
    });
  });
});

describe('toHandshakeError', () => {
  it('keeps our reasons and hides everything else', () => {
    expect(toHandshakeError(new Error('AUTH_TOKEN_INVALID: no')).message).toBe('AUTH_TOKEN_INVALID: no');
    const hidden = toHandshakeError(Object.assign(new Error('invalid input syntax for type uuid: "x"'), { code: '22P02' }));
    expect(hidden.message).toMatch(/^SERVICE_UNAVAILABLE: /);
    expect(hidden.message).not.toMatch(/uuid/);
  });
});
