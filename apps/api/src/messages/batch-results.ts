import { isDataException } from '../common/db-errors';
import { MessageError, MessageException } from '../common/domain-errors';

/** What the batches of sends and of changes share: how a refusal and a failure are answered, and the order things go out in. */

/** The error of the one send or edit the database refused (a value it will not store): its own, which a retry cannot change. */
export function unstorable(error: unknown): MessageException {
  if (isDataException(error)) {
    return new MessageException(MessageError.TextUnstorable, 'The message text has characters that cannot be stored', [
      { field: 'text', errors: ['text contains characters that cannot be stored (such as NUL)'] },
    ]);
  }
  return new MessageException(MessageError.Unstorable, 'This message cannot be stored');
}

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Rows sorted by channel, then by their place in it (`seqOf`: seq or changeSeq), as the gateway delivers them. */
export function inChannelOrder<T extends { channel_id: string }>(rows: T[], seqOf: (row: T) => string | number): T[] {
  return rows.sort((a, b) => (a.channel_id < b.channel_id ? -1 : a.channel_id > b.channel_id ? 1 : Number(seqOf(a)) - Number(seqOf(b))));
}
