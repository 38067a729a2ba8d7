import { AuditCheckpoint } from '../audit/entities/audit-checkpoint.entity';
import { AuditEvent } from '../audit/entities/audit-event.entity';
import { AuditOutboxEntry } from '../audit/entities/audit-outbox.entity';
import { RefreshToken } from '../auth/entities/refresh-token.entity';
import { Session } from '../auth/entities/session.entity';
import { SignInCode } from '../auth/entities/sign-in-code.entity';
import { ChannelMember } from '../channels/entities/channel-member.entity';
import { Channel } from '../channels/entities/channel.entity';
import { StoredFile } from '../files/entities/stored-file.entity';
import { MessageChange } from '../messages/entities/message-change.entity';
import { MessageReaction } from '../messages/entities/message-reaction.entity';
import { MessageMention } from '../messages/entities/message-mention.entity';
import { ThreadFollow } from '../messages/entities/thread-follow.entity';
import { MessageVersion } from '../messages/entities/message-version.entity';
import { Message } from '../messages/entities/message.entity';
import { Role } from '../rbac/entities/role.entity';
import { User } from '../users/entities/user.entity';
import { Invite } from '../workspaces/entities/invite.entity';
import { WorkspaceMember } from '../workspaces/entities/workspace-member.entity';
import { Workspace } from '../workspaces/entities/workspace.entity';

/** Every entity of the schema; the app and the migration CLI both register exactly these. */
export const ENTITIES = [User, SignInCode, Session, RefreshToken, Workspace, Role, WorkspaceMember, Invite, Channel, ChannelMember, AuditEvent, AuditCheckpoint, AuditOutboxEntry, Message, MessageChange, MessageVersion, MessageReaction, ThreadFollow, MessageMention, StoredFile];
