import { AppException } from './app-exception';
import { CommonError } from './error-answers';

/** The SQLSTATE of a PostgreSQL error, thrown by node-pg directly or wrapped by TypeORM. */
export function sqlState(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = candidate?.driverError?.code ?? candidate?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** True when `error` is PostgreSQL's unique_violation (23505), optionally on a given constraint/index. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

/**
 * What a client is told when input validation missed something the database then refused
 * (a bug to fix: every input should be validated before it gets that far). Never the
 * database's own words, which name tables, types and values.
 */
export const REFUSED_BY_DATABASE = 'The input was refused; check the values sent';

/** Network failures of the database or Redis connection (node's error codes). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Turns a database or network error no service expected into what a client may be told: bad
 * input that reached the database (a 400, not retryable; a unique violation is a 409); a
 * database or network outage, or a transaction the database rolled back (a 503, retryable).
 * Null for anything else.
 */
export function classifyDatabaseError(error: unknown): AppException | null {
  const state = sqlState(error);
  if (state) {
    const sqlClass = state.slice(0, 2);
    // 22: data exception (invalid text representation, numeric out of range, NUL in text…);
    // 23: integrity constraint violation (not null, foreign key, check, unique).
    if (state === '23505') return AppException.of(CommonError.Conflict, 'That conflicts with something that already exists');
    if (sqlClass === '22' || sqlClass === '23') return AppException.invalid(REFUSED_BY_DATABASE);
    // 08 connection, 40 rolled back (serialization, deadlock), 53 resources, 57 operator
    // intervention (shutdown, terminated), 58 system error, 55000/55P03 not accepting connections / lock.
    if (['08', '40', '53', '57', '58'].includes(sqlClass) || state === '55000' || state === '55P03') return unavailable();
    return null;
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code) ? unavailable() : null;
}

/** A programming error: retrying cannot help. */
export function isProgrammingError(error: unknown): boolean {
  return (
    error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError || error instanceof SyntaxError
  );
}

export function unavailable(): AppException {
  return AppException.of(CommonError.Unavailable, 'The server could not do that just now; try again');
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
