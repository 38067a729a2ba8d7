import { Logger } from '@nestjs/common';
import { Ack, AckError, CommonErrorCode } from '@parley/contracts';
import { AppException } from '../common/app-exception';
import { classifyDatabaseError, isProgrammingError, unavailable } from '../common/db-errors';

const logger = new Logger('Realtime');

/** Runs a socket handler and answers `{ ok: true, data }` or `{ ok: false, error }`; nothing escapes. */
export async function toAck<T>(work: () => Promise<T>): Promise<Ack<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (error) {
    return { ok: false, error: toAckError(error) };
  }
}

/**
 * The coded error a client gets, honest about retrying: only a rate limit or an outage may
 * succeed when sent again. Bad input, refused access and bugs never will, and a client that
 * retried them would retry forever. The database's own words never reach the client.
 */
export function toAckError(error: unknown): AckError {
  if (error instanceof AppException) return fromAppException(error);
  const classified = classifyDatabaseError(error);
  if (classified && classified.getStatus() < 500) {
    logger.error(`Input validation missed what the database refused: ${describe(error)}`);
    return fromAppException(classified);
  }
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  if (isProgrammingError(error)) {
    return { code: CommonErrorCode.Internal, message: 'Something went wrong on our side', retryable: false };
  }
  // A database, Redis or network failure, named or not: a retry may succeed, and sends are idempotent.
  return fromAppException(classified ?? unavailable());
}

function fromAppException(error: AppException): AckError {
  const status = error.getStatus();
  return { code: error.code, message: error.message, retryable: status === 429 || status === 503 };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What a refused handshake tells the client: our own `AUTH_…` reasons as they are, anything
 * else (a database failure while checking the session) as a retryable outage in our words.
 */
export function toHandshakeError(error: unknown): Error {
  if (error instanceof Error && /^AUTH_[A-Z_]+: /.test(error.message)) return error;
  logger.warn(`Handshake failed: ${describe(error)}`);
  return new Error(`${CommonErrorCode.ServiceUnavailable}: the server could not check this session just now; try again`);
}
