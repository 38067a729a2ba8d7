import { HttpStatus } from '@nestjs/common';
import {
  AuthErrorCode,
  ChannelErrorCode,
  CommonErrorCode,
  ErrorCode,
  FileErrorCode,
  MessageErrorCode,
  WorkspaceErrorCode,
} from '@parley/contracts';

/*
 * Services say what went wrong in their module's words (`throw new WorkspaceException(
 * WorkspaceError.LastOwner, '…')`); how a client hears it is decided here, once, for REST and
 * sockets alike: the HTTP status and the code of `{ statusCode, error, message, code }`, and the
 * code of the ack `{ ok: false, error: { code, message, retryable } }` (retryable only for a 429
 * or a 503, see `toAckError`). A new reason does not compile until it has its row.
 */

/** What can go wrong anywhere: the generic refusals and failures every module may answer. */
export enum CommonError {
  /** Missing, or not to be known to exist by this caller. */
  NotFound = 'NotFound',
  Forbidden = 'Forbidden',
  RateLimited = 'RateLimited',
  /** Input refused at the edge (shape, hostile text, depth) or by the database (a type or constraint). */
  InvalidInput = 'InvalidInput',
  Conflict = 'Conflict',
  /** The database, Redis or the audit log could not be reached or written: a retry may succeed. */
  Unavailable = 'Unavailable',
}

/** What can go wrong signing in and with sessions and their tokens. */
export enum AuthError {
  CodeInvalid = 'CodeInvalid',
  CodeExpired = 'CodeExpired',
  CodeAttemptsExceeded = 'CodeAttemptsExceeded',
  /** The code is right and the email has no account yet. */
  DisplayNameRequired = 'DisplayNameRequired',
  TokenMissing = 'TokenMissing',
  TokenInvalid = 'TokenInvalid',
  RefreshInvalid = 'RefreshInvalid',
  RefreshReused = 'RefreshReused',
  SessionRevoked = 'SessionRevoked',
}

/** What can go wrong with workspaces, their members and invites. */
export enum WorkspaceError {
  LastOwner = 'LastOwner',
  /** Acting on, or granting, a role with permissions the actor lacks. */
  RoleAboveYours = 'RoleAboveYours',
  AlreadyMember = 'AlreadyMember',
  /** Deactivating or reactivating oneself. */
  SelfDeactivation = 'SelfDeactivation',
  /** A deactivated member accepting an invite to the same workspace. */
  MembershipDeactivated = 'MembershipDeactivated',
  InviteEmailMismatch = 'InviteEmailMismatch',
  InviteExpired = 'InviteExpired',
  /** Accepting an invite that was used already: the link is spent. */
  InviteUsed = 'InviteUsed',
  /** Revoking an invite that was accepted: a conflict with its state. */
  InviteAcceptedAlready = 'InviteAcceptedAlready',
}

/** What can go wrong with channels, conversations and their members. */
export enum ChannelError {
  NameTaken = 'NameTaken',
  Archived = 'Archived',
  NotJoinable = 'NotJoinable',
  /** Renaming, archiving, leaving or joining a DM. */
  DmImmutable = 'DmImmutable',
  NotInWorkspace = 'NotInWorkspace',
  /** A conversation of fewer than 2 or more than GROUP_DM_MAX_PEOPLE people. */
  ConversationSize = 'ConversationSize',
}

/** What can go wrong with custom roles. (Granting permissions one lacks is `WorkspaceError.RoleAboveYours`.) */
export enum RoleError {
  BuiltIn = 'BuiltIn',
  NameTaken = 'NameTaken',
  /** Deleting a role still given to members or pending invites. */
  InUse = 'InUse',
}

/** What can go wrong sending messages. (Posting to an archived channel is `ChannelError.Archived`.) */
export enum MessageError {
  /** The clientMsgId names another message of the sender. */
  ClientMsgIdTaken = 'ClientMsgIdTaken',
  /** The database refused the text itself (NUL…): a retry cannot help. */
  TextUnstorable = 'TextUnstorable',
  /** The database refused the send for another reason of its own. */
  Unstorable = 'Unstorable',
  ThreadRootNotFound = 'ThreadRootNotFound',
  /** A thread route on a reply: threads are one level deep. */
  NotThreadRoot = 'NotThreadRoot',
  /** The batch did not store it and no reason is known: a retry may work. */
  NotStored = 'NotStored',
  /** A reaction's emoji is not one the emoji data knows. */
  EmojiUnknown = 'EmojiUnknown',
  /** The message has REACTIONS_PER_MESSAGE_MAX different emoji already. */
  ReactionsFull = 'ReactionsFull',
  /** The text mentions more than MENTIONS_PER_MESSAGE_MAX different people. */
  TooManyMentions = 'TooManyMentions',
}

/** What can go wrong uploading and reading files. */
export enum FileError {
  TooLarge = 'TooLarge',
  QuotaExceeded = 'QuotaExceeded',
  UploadInvalid = 'UploadInvalid',
  /** A Range that cannot be served (416). */
  RangeUnsatisfiable = 'RangeUnsatisfiable',
  StorageUnavailable = 'StorageUnavailable',
  /** A send's fileIds entry is not the sender's upload to this channel, unsent and not removed (the whole send is refused). */
  NotAttachable = 'NotAttachable',
}

export interface ErrorAnswer {
  readonly status: HttpStatus;
  readonly code: ErrorCode;
}

type AnswersTo<Reason extends string> = { readonly [R in Reason]: ErrorAnswer };

/** The one table: every domain error of every module, and what the client gets for it. */
export const ERROR_ANSWERS: {
  readonly common: AnswersTo<CommonError>;
  readonly auth: AnswersTo<AuthError>;
  readonly workspace: AnswersTo<WorkspaceError>;
  readonly channel: AnswersTo<ChannelError>;
  readonly role: AnswersTo<RoleError>;
  readonly message: AnswersTo<MessageError>;
  readonly file: AnswersTo<FileError>;
} = {
  common: {
    [CommonError.NotFound]: { status: HttpStatus.NOT_FOUND, code: CommonErrorCode.NotFound },
    [CommonError.Forbidden]: { status: HttpStatus.FORBIDDEN, code: CommonErrorCode.Forbidden },
    [CommonError.RateLimited]: { status: HttpStatus.TOO_MANY_REQUESTS, code: CommonErrorCode.RateLimited },
    [CommonError.InvalidInput]: { status: HttpStatus.BAD_REQUEST, code: CommonErrorCode.ValidationFailed },
    [CommonError.Conflict]: { status: HttpStatus.CONFLICT, code: CommonErrorCode.Conflict },
    [CommonError.Unavailable]: { status: HttpStatus.SERVICE_UNAVAILABLE, code: CommonErrorCode.ServiceUnavailable },
  },
  auth: {
    [AuthError.CodeInvalid]: { status: HttpStatus.UNAUTHORIZED, code: AuthErrorCode.CodeInvalid },
    [AuthError.CodeExpired]: { status: HttpStatus.UNAUTHORIZED, code: AuthErrorCode.CodeExpired },
    [AuthError.CodeAttemptsExceeded]: { status: HttpStatus.UNAUTHORIZED, code: AuthErrorCode.CodeAttemptsExceeded },
    [AuthError.DisplayNameRequired]: { status: HttpStatus.BAD_REQUEST, code: AuthErrorCode.DisplayNameRequired },
    [AuthError.TokenMissing]: { status: HttpStatus.UNAUTHORIZED, code: AuthErrorCode.TokenMissing },
    [AuthError.TokenInvalid]: { status: HttpStatus.UNAUTHORIZED, code: AuthErrorCode.TokenInvalid },
    [AuthError.RefreshInvalid]: { status: HttpStatus.UNAUTHORIZED, code: AuthErrorCode.RefreshInvalid },
    [AuthError.RefreshReused]: { status: HttpStatus.UNAUTHORIZED, code: AuthErrorCode.RefreshReused },
    [AuthError.SessionRevoked]: { status: HttpStatus.UNAUTHORIZED, code: AuthErrorCode.SessionRevoked },
  },
  workspace: {
    [WorkspaceError.LastOwner]: { status: HttpStatus.CONFLICT, code: WorkspaceErrorCode.LastOwner },
    [WorkspaceError.RoleAboveYours]: { status: HttpStatus.FORBIDDEN, code: WorkspaceErrorCode.RoleAboveYours },
    [WorkspaceError.AlreadyMember]: { status: HttpStatus.CONFLICT, code: WorkspaceErrorCode.AlreadyMember },
    [WorkspaceError.SelfDeactivation]: { status: HttpStatus.BAD_REQUEST, code: WorkspaceErrorCode.MemberDeactivated },
    [WorkspaceError.MembershipDeactivated]: { status: HttpStatus.FORBIDDEN, code: WorkspaceErrorCode.MemberDeactivated },
    [WorkspaceError.InviteEmailMismatch]: { status: HttpStatus.FORBIDDEN, code: WorkspaceErrorCode.InviteEmailMismatch },
    [WorkspaceError.InviteExpired]: { status: HttpStatus.GONE, code: WorkspaceErrorCode.InviteExpired },
    [WorkspaceError.InviteUsed]: { status: HttpStatus.GONE, code: WorkspaceErrorCode.InviteUsed },
    [WorkspaceError.InviteAcceptedAlready]: { status: HttpStatus.CONFLICT, code: WorkspaceErrorCode.InviteUsed },
  },
  channel: {
    [ChannelError.NameTaken]: { status: HttpStatus.CONFLICT, code: ChannelErrorCode.NameTaken },
    [ChannelError.Archived]: { status: HttpStatus.CONFLICT, code: ChannelErrorCode.Archived },
    [ChannelError.NotJoinable]: { status: HttpStatus.FORBIDDEN, code: ChannelErrorCode.NotJoinable },
    [ChannelError.DmImmutable]: { status: HttpStatus.BAD_REQUEST, code: ChannelErrorCode.DmImmutable },
    [ChannelError.NotInWorkspace]: { status: HttpStatus.BAD_REQUEST, code: ChannelErrorCode.NotInWorkspace },
    [ChannelError.ConversationSize]: { status: HttpStatus.BAD_REQUEST, code: CommonErrorCode.ValidationFailed },
  },
  role: {
    [RoleError.BuiltIn]: { status: HttpStatus.CONFLICT, code: WorkspaceErrorCode.RoleBuiltIn },
    [RoleError.NameTaken]: { status: HttpStatus.CONFLICT, code: WorkspaceErrorCode.RoleNameTaken },
    [RoleError.InUse]: { status: HttpStatus.CONFLICT, code: WorkspaceErrorCode.RoleInUse },
  },
  message: {
    [MessageError.ClientMsgIdTaken]: { status: HttpStatus.CONFLICT, code: CommonErrorCode.Conflict },
    [MessageError.TextUnstorable]: { status: HttpStatus.BAD_REQUEST, code: CommonErrorCode.ValidationFailed },
    [MessageError.Unstorable]: { status: HttpStatus.UNPROCESSABLE_ENTITY, code: MessageErrorCode.SendFailed },
    [MessageError.ThreadRootNotFound]: { status: HttpStatus.BAD_REQUEST, code: MessageErrorCode.ThreadRootNotFound },
    [MessageError.NotThreadRoot]: { status: HttpStatus.BAD_REQUEST, code: MessageErrorCode.NotThreadRoot },
    [MessageError.NotStored]: { status: HttpStatus.CONFLICT, code: MessageErrorCode.SendFailed },
    [MessageError.EmojiUnknown]: { status: HttpStatus.BAD_REQUEST, code: MessageErrorCode.EmojiUnknown },
    [MessageError.ReactionsFull]: { status: HttpStatus.CONFLICT, code: MessageErrorCode.ReactionsFull },
    [MessageError.TooManyMentions]: { status: HttpStatus.BAD_REQUEST, code: MessageErrorCode.TooManyMentions },
  },
  file: {
    [FileError.TooLarge]: { status: HttpStatus.PAYLOAD_TOO_LARGE, code: FileErrorCode.TooLarge },
    [FileError.QuotaExceeded]: { status: HttpStatus.PAYLOAD_TOO_LARGE, code: FileErrorCode.QuotaExceeded },
    [FileError.UploadInvalid]: { status: HttpStatus.BAD_REQUEST, code: FileErrorCode.UploadInvalid },
    [FileError.RangeUnsatisfiable]: { status: HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, code: CommonErrorCode.BadRequest },
    [FileError.StorageUnavailable]: { status: HttpStatus.SERVICE_UNAVAILABLE, code: FileErrorCode.StorageUnavailable },
    [FileError.NotAttachable]: { status: HttpStatus.BAD_REQUEST, code: FileErrorCode.NotAttachable },
  },
};
