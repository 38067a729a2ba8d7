import { BuiltInRole, ChannelType, Permission } from '@parley/contracts';
import { AppException } from '../common/app-exception';

/** The channel an access check was made on, as it found it. */
export interface ChannelFacts {
  id: string;
  type: ChannelType;
  name: string | null;
  createdBy: string | null;
  archived: boolean;
  /** Whether the caller is a member of it. */
  member: boolean;
}

/** Who is acting in which workspace, with which role (and, on a channel route, in which channel). */
export class WorkspaceAccess {
  constructor(
    readonly userId: string,
    readonly workspaceId: string,
    readonly roleId: string,
    readonly roleName: string,
    readonly builtIn: BuiltInRole | null,
    readonly permissions: ReadonlySet<Permission>,
  ) {}

  /** Members read a channel; so does anyone who may browse channels, when it is public. */
  canRead(channel: Pick<ChannelFacts, 'type' | 'member'>): boolean {
    return channel.member || (channel.type === 'public' && this.can(Permission.ChannelBrowse));
  }

  can(permission: Permission): boolean {
    return this.permissions.has(permission);
  }

  /** Throws 403 unless the role holds `permission`. */
  require(permission: Permission): void {
    if (!this.can(permission)) throw AppException.forbidden(`You need the permission ${permission} to do that`);
  }

  /** True when every permission of `others` is also the caller's: nobody hands out more than they hold. */
  covers(others: Iterable<Permission>): boolean {
    for (const permission of others) if (!this.permissions.has(permission)) return false;
    return true;
  }
}

/** A workspace membership with the channel a rule was checked on (made only by AccessService.requireChannel). */
export class ChannelAccess extends WorkspaceAccess {
  constructor(workspace: WorkspaceAccess, readonly channel: ChannelFacts) {
    super(workspace.userId, workspace.workspaceId, workspace.roleId, workspace.roleName, workspace.builtIn, workspace.permissions);
  }
}

/** The message an access check was made on, as it found it. */
export interface MessageFacts {
  id: string;
  channelId: string;
  senderId: string;
  deleted: boolean;
  /** The thread it replies in, or null for a message of the channel (a thread root or not). */
  threadRootId: string | null;
}

/** A channel access with the message a rule was checked on (made only by AccessService.requireMessage). */
export class MessageAccess extends ChannelAccess {
  constructor(channel: ChannelAccess, readonly message: MessageFacts) {
    super(channel, channel.channel);
  }
}

/** The file an access check was made on, as it found it. */
export interface FileFacts {
  id: string;
  channelId: string;
  uploaderId: string;
  messageId: string | null;
}

/** A channel access with the file a rule was checked on (made only by AccessService.requireFile). */
export class FileAccess extends ChannelAccess {
  constructor(channel: ChannelAccess, readonly file: FileFacts) {
    super(channel, channel.channel);
  }
}
