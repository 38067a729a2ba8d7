import { FieldError } from '@parley/contracts';
import { AppException } from './app-exception';
import { AuthError, ChannelError, ERROR_ANSWERS, MessageError, RoleError, WorkspaceError } from './error-answers';

export { AuthError, ChannelError, CommonError, ERROR_ANSWERS, MessageError, RoleError, WorkspaceError } from './error-answers';

/** A domain error of the auth module; its status and code come from `ERROR_ANSWERS`. */
export class AuthException extends AppException {
  constructor(
    readonly reason: AuthError,
    message: string,
  ) {
    const { status, code } = ERROR_ANSWERS.auth[reason];
    super(status, code, message);
  }
}

/** A domain error of the workspaces module; its status and code come from `ERROR_ANSWERS`. */
export class WorkspaceException extends AppException {
  constructor(
    readonly reason: WorkspaceError,
    message: string,
  ) {
    const { status, code } = ERROR_ANSWERS.workspace[reason];
    super(status, code, message);
  }
}

/** A domain error of the channels module; its status and code come from `ERROR_ANSWERS`. */
export class ChannelException extends AppException {
  constructor(
    readonly reason: ChannelError,
    message: string,
  ) {
    const { status, code } = ERROR_ANSWERS.channel[reason];
    super(status, code, message);
  }
}

/** A domain error of custom roles (rbac); its status and code come from `ERROR_ANSWERS`. */
export class RoleException extends AppException {
  constructor(
    readonly reason: RoleError,
    message: string,
  ) {
    const { status, code } = ERROR_ANSWERS.role[reason];
    super(status, code, message);
  }
}

/** A domain error of the messages module; its status and code come from `ERROR_ANSWERS`. */
export class MessageException extends AppException {
  constructor(
    readonly reason: MessageError,
    message: string,
    fields?: FieldError[],
  ) {
    const { status, code } = ERROR_ANSWERS.message[reason];
    super(status, code, message, fields);
  }
}
