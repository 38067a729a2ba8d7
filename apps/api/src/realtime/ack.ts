import { Logger } from '@nestjs/common';
import { Ack, CommonErrorCode } from '@parley/contracts';
import { AppException } from '../common/app-exception';

const logger = new Logger('Realtime');

/** Runs a socket handler and answers `{ ok: true, data }` or `{ ok: false, error }`; nothing escapes. */
export async function toAck<T>(work: () => Promise<T>): Promise<Ack<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (error) {
    if (error instanceof AppException) {
      const status = error.getStatus();
      return { ok: false, error: { code: error.code, message: error.message, retryable: status === 429 || status >= 500 } };
    }
    logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return {
      ok: false,
      error: { code: CommonErrorCode.ServiceUnavailable, message: 'The server could not do that just now; try again', retryable: true },
    };
  }
}
