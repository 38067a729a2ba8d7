import { ChannelErrorCode, CommonErrorCode } from '@parley/contracts';

import { isNetworkError, type ApiError } from '../core/http/api-error';

/** What a refused edit or delete tells the person, by the API's answer (403, 404, 409 and the rest). */
export function messageChangeError(action: 'edit' | 'delete', error: ApiError): string {
  if (isNetworkError(error)) return `The server could not be reached: the message was not ${action === 'edit' ? 'edited' : 'deleted'}. Try again.`;
  if (error.code === ChannelErrorCode.Archived) return 'This channel is archived: its messages can no longer be changed.';
  if (error.status === 403 || error.code === CommonErrorCode.Forbidden) return `You may not ${action} this message.`;
  if (error.status === 404 || error.code === CommonErrorCode.NotFound) return 'This message is no longer there (deleted, or you left the channel).';
  if (error.status === 409) return error.message ?? 'This message changed meanwhile. Try again.';
  if (error.code === CommonErrorCode.ValidationFailed && error.message) return error.message;
  return `The message could not be ${action === 'edit' ? 'edited' : 'deleted'}. Try again.`;
}
