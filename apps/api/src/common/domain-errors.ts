import { FieldError } from '@parley/contracts';
import { AppException } from './app-exception';
import { AuthError, ChannelError, ERROR_ANSWERS, ErrorAnswer, FileError, MessageError, RoleError, WorkspaceError } from './error-answers';

export { AuthError, ChannelError, CommonError, ERROR_ANSWERS, FileError, MessageError, RoleError, WorkspaceError } from './error-answers';

type Module = Exclude<keyof typeof ERROR_ANSWERS, 'common'>;
type ReasonOf<M extends Module> = keyof (typeof ERROR_ANSWERS)[M] & string;

/** A module's domain error: the service names the reason, `ERROR_ANSWERS` gives status and code. */
abstract class DomainException<M extends Module> extends AppException {
  protected constructor(
    module: M,
    readonly reason: ReasonOf<M>,
    message: string,
    fields?: FieldError[],
  ) {
    const { status, code } = (ERROR_ANSWERS[module] as Record<string, ErrorAnswer>)[reason];
    super(status, code, message, fields);
  }
}

/** A domain error of the auth module. */
export class AuthException extends DomainException<'auth'> {
  constructor(reason: AuthError, message: string) {
    super('auth', reason, message);
  }
}

/** A domain error of the workspaces module. */
export class WorkspaceException extends DomainException<'workspace'> {
  constructor(reason: WorkspaceError, message: string) {
    super('workspace', reason, message);
  }
}

/** A domain error of the channels module. */
export class ChannelException extends DomainException<'channel'> {
  constructor(reason: ChannelError, message: string) {
    super('channel', reason, message);
  }
}

/** A domain error of custom roles (rbac). */
export class RoleException extends DomainException<'role'> {
  constructor(reason: RoleError, message: string) {
    super('role', reason, message);
  }
}

/** A domain error of the messages module. */
export class MessageException extends DomainException<'message'> {
  constructor(reason: MessageError, message: string, fields?: FieldError[]) {
    super('message', reason, message, fields);
  }
}

/** A domain error of files (uploads, downloads, storage). */
export class FileException extends DomainException<'file'> {
  constructor(reason: FileError, message: string) {
    super('file', reason, message);
  }
}
