import { HttpStatus } from '@nestjs/common';
import { ChannelErrorCode } from '@parley/contracts';
import { toAckError } from '../realtime/ack';
import { AppException } from './app-exception';
import {
  AuthError,
  AuthException,
  ChannelError,
  ChannelException,
  CommonError,
  ERROR_ANSWERS,
  FileError,
  FileException,
  MessageError,
  MessageException,
  RoleError,
  RoleException,
  WorkspaceError,
  WorkspaceException,
} from './domain-errors';
import { toErrorBody } from './http-exception.filter';

const thrown = [
  ...Object.values(AuthError).map((reason) => ({
    name: `auth.${reason}`,
    error: new AuthException(reason, `because ${reason}`),
  })),
  ...Object.values(WorkspaceError).map((reason) => ({
    name: `workspace.${reason}`,
    error: new WorkspaceException(reason, `because ${reason}`),
  })),
  ...Object.values(ChannelError).map((reason) => ({
    name: `channel.${reason}`,
    error: new ChannelException(reason, `because ${reason}`),
  })),
  ...Object.values(RoleError).map((reason) => ({
    name: `role.${reason}`,
    error: new RoleException(reason, `because ${reason}`),
  })),
  ...Object.values(MessageError).map((reason) => ({
    name: `message.${reason}`,
    error: new MessageException(reason, `because ${reason}`),
  })),
  ...Object.values(FileError).map((reason) => ({
    name: `file.${reason}`,
    error: new FileException(reason, `because ${reason}`),
  })),
];

describe('domain errors', () => {
  it('answer every reason, on REST, with the status and code clients get today', () => {
    const answers = thrown.map(({ name, error }) => {
      const { body } = toErrorBody(error);
      return `${name} → ${body.statusCode} ${body.code}`;
    });
    const modules = Object.keys(ERROR_ANSWERS).filter((module) => module !== 'common');
    expect([...new Set(thrown.map(({ name }) => name.split('.')[0]))]).toEqual(modules);
    expect(answers).toEqual([
      'auth.CodeInvalid → 401 AUTH_CODE_INVALID',
      'auth.CodeExpired → 401 AUTH_CODE_EXPIRED',
      'auth.CodeAttemptsExceeded → 401 AUTH_CODE_ATTEMPTS_EXCEEDED',
      'auth.DisplayNameRequired → 400 AUTH_DISPLAY_NAME_REQUIRED',
      'auth.TokenMissing → 401 AUTH_TOKEN_MISSING',
      'auth.TokenInvalid → 401 AUTH_TOKEN_INVALID',
      'auth.RefreshInvalid → 401 AUTH_REFRESH_INVALID',
      'auth.RefreshReused → 401 AUTH_REFRESH_REUSED',
      'auth.SessionRevoked → 401 AUTH_SESSION_REVOKED',
      'workspace.LastOwner → 409 WORKSPACE_LAST_OWNER',
      'workspace.RoleAboveYours → 403 ROLE_ABOVE_YOURS',
      'workspace.AlreadyMember → 409 ALREADY_MEMBER',
      'workspace.SelfDeactivation → 400 MEMBER_DEACTIVATED',
      'workspace.MembershipDeactivated → 403 MEMBER_DEACTIVATED',
      'workspace.InviteEmailMismatch → 403 INVITE_EMAIL_MISMATCH',
      'workspace.InviteExpired → 410 INVITE_EXPIRED',
      'workspace.InviteUsed → 410 INVITE_USED',
      'workspace.InviteAcceptedAlready → 409 INVITE_USED',
      'channel.NameTaken → 409 CHANNEL_NAME_TAKEN',
      'channel.Archived → 409 CHANNEL_ARCHIVED',
      'channel.NotJoinable → 403 CHANNEL_NOT_JOINABLE',
      'channel.DmImmutable → 400 CHANNEL_DM_IMMUTABLE',
      'channel.NotInWorkspace → 400 CHANNEL_USER_NOT_IN_WORKSPACE',
      'channel.ConversationSize → 400 VALIDATION_FAILED',
      'role.BuiltIn → 409 ROLE_BUILT_IN',
      'role.NameTaken → 409 ROLE_NAME_TAKEN',
      'role.InUse → 409 ROLE_IN_USE',
      'message.ClientMsgIdTaken → 409 CONFLICT',
      'message.TextUnstorable → 400 VALIDATION_FAILED',
      'message.Unstorable → 422 MESSAGE_SEND_FAILED',
      'message.ThreadRootNotFound → 400 MESSAGE_THREAD_ROOT_NOT_FOUND',
      'message.NotThreadRoot → 400 MESSAGE_NOT_THREAD_ROOT',
      'message.NotStored → 409 MESSAGE_SEND_FAILED',
      'message.EmojiUnknown → 400 MESSAGE_EMOJI_UNKNOWN',
      'message.ReactionsFull → 409 MESSAGE_REACTIONS_FULL',
      'message.TooManyMentions → 400 MESSAGE_TOO_MANY_MENTIONS',
      'file.TooLarge → 413 FILE_TOO_LARGE',
      'file.QuotaExceeded → 413 FILE_QUOTA_EXCEEDED',
      'file.UploadInvalid → 400 FILE_UPLOAD_INVALID',
      'file.RangeUnsatisfiable → 416 BAD_REQUEST',
      'file.StorageUnavailable → 503 FILE_STORAGE_UNAVAILABLE',
      'file.NotAttachable → 400 FILE_NOT_ATTACHABLE',
    ]);
  });

  it('give the REST body and the socket ack the same code and message, retryable only when the storage failed', () => {
    for (const { error } of thrown) {
      const { body } = toErrorBody(error);
      expect(body).toEqual({ statusCode: body.statusCode, error: expect.any(String), message: error.message, code: error.code });
      expect(toAckError(error)).toEqual({ code: body.code, message: error.message, retryable: body.statusCode === 503 });
    }
  });

  it('answer the generic refusals and failures from the same table, retryable only when a retry may succeed', () => {
    const answers = Object.values(CommonError).map((reason) => {
      const error = AppException.of(reason, `because ${reason}`);
      const { body } = toErrorBody(error);
      const ack = toAckError(error);
      expect(ack).toMatchObject({ code: body.code, message: error.message });
      return `common.${reason} → ${body.statusCode} ${body.code}${ack.retryable ? ' (retryable)' : ''}`;
    });
    expect(answers).toEqual([
      'common.NotFound → 404 NOT_FOUND',
      'common.Forbidden → 403 FORBIDDEN',
      'common.RateLimited → 429 RATE_LIMITED (retryable)',
      'common.InvalidInput → 400 VALIDATION_FAILED',
      'common.Conflict → 409 CONFLICT',
      'common.Unavailable → 503 SERVICE_UNAVAILABLE (retryable)',
    ]);
    expect(toErrorBody(AppException.notFound('Channel')).body).toMatchObject({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Channel not found',
    });
    expect(toErrorBody(AppException.rateLimited(3))).toMatchObject({
      body: { statusCode: 429, code: 'RATE_LIMITED' },
      retryAfter: 3,
    });
    const fields = [{ field: 'text', errors: ['must be a string'] }];
    expect(toErrorBody(AppException.invalid('Invalid input: text', fields)).body).toMatchObject({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      fields,
    });
  });

  it('are all refusals (4xx), but for the storage being unavailable (503, retryable): a domain error is never a 500', () => {
    for (const { name, error } of thrown) {
      expect(error.getStatus()).toBeGreaterThanOrEqual(400);
      expect([name, error.getStatus() < 500 || error.getStatus() === 503]).toEqual([name, true]);
    }
    expect(thrown.filter(({ error }) => error.getStatus() >= 500).map(({ name }) => name)).toEqual(['file.StorageUnavailable']);
  });
});

/* Never called: `tsc -p apps/api/tsconfig.json` fails if the line under `@ts-expect-error` compiles. */
function _aReasonWithoutItsRowDoesNotCompile(): (typeof ERROR_ANSWERS)['channel'] {
  // @ts-expect-error: every reason of the module needs its row
  return { [ChannelError.NameTaken]: { status: HttpStatus.CONFLICT, code: ChannelErrorCode.NameTaken } };
}
