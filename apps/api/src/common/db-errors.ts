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
 * True when the same statement may succeed if run again: the connection or the server failed
 * (no SQLSTATE at all, classes 08, 53, 57, 58, XX) or the transaction lost a race (class 40).
 * Anything else — bad data (22), a broken constraint (23), a limit (54) — fails again the same way.
 */
export function isTransientDbError(error: unknown): boolean {
  const state = sqlState(error);
  return state === undefined || ['08', '40', '53', '57', '58', 'XX'].includes(state.slice(0, 2));
}

/** True for class 22 (data exception): a value the database refuses, such as a NUL byte in text. */
export function isDataException(error: unknown): boolean {
  return sqlState(error)?.startsWith('22') ?? false;
}
