/** True when `error` is PostgreSQL's unique_violation (23505), optionally on a given constraint/index. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string; driverError?: { code?: string } } | null)?.driverError?.code ??
    (error as { code?: string } | null)?.code;
  return code === '23505';
}

/** PostgreSQL's SQLSTATE of a driver error (TypeORM wraps it in `driverError`), if it has one. */
function sqlState(error: unknown): string | undefined {
  const code = (error as { driverError?: { code?: unknown } } | null)?.driverError?.code ?? (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * True when the database refused a value the statement carried: bad data (class 22, such as a
 * NUL byte in text), a broken constraint (23) or a limit (54). Run again with the same values
 * it fails the same way; without the offending value it may succeed. Anything else (a lost
 * connection, a server shutting down, a race lost) says nothing about the values.
 */
export function isRefusedValue(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && ['22', '23', '54'].includes(state.slice(0, 2));
}

/** True for class 22 (data exception): a value the database refuses, such as a NUL byte in text. */
export function isDataException(error: unknown): boolean {
  return sqlState(error)?.startsWith('22') ?? false;
}
