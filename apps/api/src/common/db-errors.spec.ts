import { HttpStatus } from '@nestjs/common';
import { CommonErrorCode } from '@parley/contracts';
import { classifyDatabaseError, isDataException, isRefusedValue, isUniqueViolation, REFUSED_BY_DATABASE } from './db-errors';

describe('database error classes', () => {
  const pg = (code: string) => Object.assign(new Error('from PostgreSQL'), { code });
  const typeorm = (code: string) => Object.assign(new Error('QueryFailedError'), { driverError: { code } });

  it('a refused value is bad data, a broken constraint or a limit, however the driver wraps it', () => {
    for (const code of ['22021', '22P02', '23503', '23514', '54000']) {
      expect([code, isRefusedValue(pg(code))]).toEqual([code, true]);
      expect([code, isRefusedValue(typeorm(code))]).toEqual([code, true]);
    }
    expect(isDataException(pg('22021'))).toBe(true);
    expect(isDataException(pg('23503'))).toBe(false);
    expect(isUniqueViolation(typeorm('23505'))).toBe(true);
  });

  it('outages, races and errors without a SQLSTATE say nothing about the values', () => {
    for (const code of ['08006', '40001', '40P01', '53300', '55000', '57P01', 'XX000', '42P05']) expect([code, isRefusedValue(pg(code))]).toEqual([code, false]);
    expect(isRefusedValue(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isRefusedValue(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isRefusedValue(null)).toBe(false);
  });
});

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
