import { isDataException, isRefusedValue, isUniqueViolation } from './db-errors';

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
