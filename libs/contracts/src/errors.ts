/**
 * Error codes returned by the API in `{ statusCode, error, message, code }` (REST)
 * and in `{ ok: false, error: { code, message } }` (Socket.IO acknowledgements).
 * One enum per module; the union `ErrorCode` is what a client switches on.
 */
export enum CommonErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  BadRequest = 'BAD_REQUEST',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  RateLimited = 'RATE_LIMITED',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL_ERROR',
}

export enum AuthErrorCode {
  CodeInvalid = 'AUTH_CODE_INVALID',
  CodeExpired = 'AUTH_CODE_EXPIRED',
  CodeAttemptsExceeded = 'AUTH_CODE_ATTEMPTS_EXCEEDED',
  /** The code is right and the email has no account yet: verify again with a `displayName`. */
  DisplayNameRequired = 'AUTH_DISPLAY_NAME_REQUIRED',
  TokenMissing = 'AUTH_TOKEN_MISSING',
  TokenInvalid = 'AUTH_TOKEN_INVALID',
  RefreshInvalid = 'AUTH_REFRESH_INVALID',
  RefreshReused = 'AUTH_REFRESH_REUSED',
  SessionRevoked = 'AUTH_SESSION_REVOKED',
  UserDeactivated = 'AUTH_USER_DEACTIVATED',
}

export enum WorkspaceErrorCode {
  LastOwner = 'WORKSPACE_LAST_OWNER',
  RoleBuiltIn = 'ROLE_BUILT_IN',
  RoleInUse = 'ROLE_IN_USE',
  RoleNameTaken = 'ROLE_NAME_TAKEN',
  RoleAboveYours = 'ROLE_ABOVE_YOURS',
  InviteExpired = 'INVITE_EXPIRED',
  /** The invite was accepted already: a link works once; a person removed since needs a new invite. */
  InviteUsed = 'INVITE_USED',
  InviteEmailMismatch = 'INVITE_EMAIL_MISMATCH',
  AlreadyMember = 'ALREADY_MEMBER',
  MemberDeactivated = 'MEMBER_DEACTIVATED',
}

export enum ChannelErrorCode {
  NameTaken = 'CHANNEL_NAME_TAKEN',
  Archived = 'CHANNEL_ARCHIVED',
  NotJoinable = 'CHANNEL_NOT_JOINABLE',
  DmImmutable = 'CHANNEL_DM_IMMUTABLE',
  NotInWorkspace = 'CHANNEL_USER_NOT_IN_WORKSPACE',
}

export enum MessageErrorCode {
  ThreadRootNotFound = 'MESSAGE_THREAD_ROOT_NOT_FOUND',
  /** A thread route (replies, follow, read) on a message that is itself a reply. */
  NotThreadRoot = 'MESSAGE_NOT_THREAD_ROOT',
  SendFailed = 'MESSAGE_SEND_FAILED',
  /** A reaction's emoji is not one the emoji data knows (by itself, a skin-tone variant, or a shortcode such as `+1`). */
  EmojiUnknown = 'MESSAGE_EMOJI_UNKNOWN',
  /** The message carries REACTIONS_PER_MESSAGE_MAX different emoji already: react with one of those. */
  ReactionsFull = 'MESSAGE_REACTIONS_FULL',
  /** The text mentions more than MENTIONS_PER_MESSAGE_MAX different people. */
  TooManyMentions = 'MESSAGE_TOO_MANY_MENTIONS',
}

export enum FileErrorCode {
  /** The upload is larger than FILE_MAX_BYTES (413, answered before the rest of the body is read). */
  TooLarge = 'FILE_TOO_LARGE',
  /** The workspace's files would exceed FILE_QUOTA_BYTES (413). */
  QuotaExceeded = 'FILE_QUOTA_EXCEEDED',
  /** Not multipart/form-data, no `file` field, more than FILES_PER_MESSAGE_MAX files, or an empty file (400). */
  UploadInvalid = 'FILE_UPLOAD_INVALID',
  /** A `fileIds` entry is not a file you uploaded to this channel and not yet sent (400). */
  NotAttachable = 'FILE_NOT_ATTACHABLE',
  /** A signed URL whose signature is wrong or expired (403). */
  UrlInvalid = 'FILE_URL_INVALID',
  /** The storage could not store or read the bytes (503, retryable). */
  StorageUnavailable = 'FILE_STORAGE_UNAVAILABLE',
}

export type ErrorCode = CommonErrorCode | AuthErrorCode | WorkspaceErrorCode | ChannelErrorCode | MessageErrorCode | FileErrorCode;

/** The body of every REST error response. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code: ErrorCode;
  /** Present on VALIDATION_FAILED: one entry per offending field. */
  fields?: FieldError[];
}

export interface FieldError {
  field: string;
  errors: string[];
}
