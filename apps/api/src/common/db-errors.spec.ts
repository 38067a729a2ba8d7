import { HttpStatus } from '@nestjs/common';
import { CommonErrorCode } from '@parley/contracts';
import { classifyDatabaseError, REFUSED_BY_DATABASE } from './db-errors';

const pgError = (code: string, message = 'raw database words') => Object.assign(new Error(message), { code });

describe('classifyDatabaseError', () => {
  it('answers bad input that reached the database with a 400 in our words', () => {
    for (const code of ['22P02', '22003', '22021', '23502', '23503']) {
      const error = classifyDatabaseError(pgError(code, 'invalid input syntax for type uuid: "x"'));
      expect(error?.getStatus()).toBe(HttpStatus.BAD_REQUEST);
      expect(error?.code).toBe(CommonErrorCode.ValidationFailed);
      expect(error?.message).toBe(REFUSED_BY_DATABASE);
    }
    expect(classifyDatabaseError(pgError('23505'))?.getStatus()).toBe(HttpStatus.CONFLICT);
  });

  it('reads TypeORM-wrapped errors', () => {
    expect(classifyDatabaseError({ driverError: { code: '22003' } })?.getStatus()).toBe(HttpStatus.BAD_REQUEST);
  });

  it('answers outages with a 503', () => {
    for (const code of ['57P01', '08006', '53300', '40001', '55000']) {
      expect(classifyDatabaseError(pgError(code))?.getStatus()).toBe(HttpStatus.SERVICE_UNAVAILABLE);
    }
    expect(classifyDatabaseError(pgError('ECONNREFUSED'))?.getStatus()).toBe(HttpStatus.SERVICE_UNAVAILABLE);
  });

  it('leaves anything else alone', () => {
    expect(classifyDatabaseError(pgError('42P01'))).toBeNull();
    expect(classifyDatabaseError(new Error('boom'))).toBeNull();
    expect(classifyDatabaseError(null)).toBeNull();
  });
});
