import { CommonErrorCode, WorkspaceErrorCode } from '@parley/contracts';

import { isNetworkError, toApiError } from '../core/http/api-error';

/** Errors whose server message already says what went wrong and what to do. */
const SELF_EXPLAINING: ReadonlySet<string> = new Set([
  WorkspaceErrorCode.LastOwner,
  WorkspaceErrorCode.RoleAboveYours,
  WorkspaceErrorCode.RoleBuiltIn,
  WorkspaceErrorCode.RoleInUse,
  WorkspaceErrorCode.RoleNameTaken,
  WorkspaceErrorCode.AlreadyMember,
  WorkspaceErrorCode.MemberDeactivated,
]);

/**
 * One sentence for a failed admin call, e.g. `describeAdminError(err, 'change the role')`.
 * A 403 says plainly that the server refused: the console only hides what you cannot do,
 * and your role may have changed since the page loaded.
 */
export function describeAdminError(error: unknown, doing: string): string {
  const apiError = toApiError(error);
  if (isNetworkError(apiError)) return 'Cannot reach Parley. Check your connection and try again.';
  const serverMessage = apiError.message?.trim() || null;
  if (apiError.code && SELF_EXPLAINING.has(apiError.code) && serverMessage) return withStop(serverMessage);
  if (apiError.status === 403) {
    return `You don't have permission to ${doing}. Your role may have changed; ask a workspace owner or admin.`;
  }
  if (apiError.status === 404) return `Could not ${doing}: it no longer exists. Reload the page to see the current state.`;
  if (apiError.status === 429) {
    const wait = apiError.retryAfterSeconds;
    return `Too many requests. Try again ${wait ? `in ${wait} second${wait === 1 ? '' : 's'}` : 'in a moment'}.`;
  }
  if (apiError.code === CommonErrorCode.ValidationFailed && apiError.fields.length) {
    return `Could not ${doing}: ${apiError.fields.flatMap((f) => f.errors).join('; ')}.`;
  }
  return `Could not ${doing}. ${serverMessage ? withStop(serverMessage) : 'Try again in a moment.'}`;
}

function withStop(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
