import { ChannelVisibility, Permission } from '@parley/contracts';
import { AppException } from '../common/app-exception';
import { ChannelError, ChannelException, MessageError, MessageException, WorkspaceError, WorkspaceException } from '../common/domain-errors';
import { ChannelAccess, FileAccess, MessageAccess, WorkspaceAccess } from './workspace-access';

/**
 * What someone does to a channel. Each action's rule is below, in one table: the checks run
 * in order after the channel has been found visible to the caller (a channel you may not see
 * is "not found", so strangers learn nothing), and the first that fails answers.
 */
export enum ChannelAction {
  /** See the channel, its members and its history. */
  Read = 'read',
  Post = 'post',
  /** Say "typing…" in it. */
  Type = 'type',
  MarkRead = 'mark-read',
  Join = 'join',
  Leave = 'leave',
  /** Rename it, change its topic. */
  Manage = 'manage',
  Archive = 'archive',
  AddMembers = 'add-members',
  /** Take someone out of it (yourself: leaving). */
  RemoveMember = 'remove-member',
}

/** What a rule may look at besides the caller and the channel: the person a route acts on. */
export interface RuleContext {
  targetUserId?: string;
}

interface Check {
  /** How the route and socket snapshots state it; `:id` is the channel. */
  describe: string;
  holds(access: ChannelAccess, context: RuleContext): boolean;
  refuse(): AppException;
}

/** The check before every rule ("may see"): members see a channel; so do those who may browse (channel.browse), when it is public. */
export const MAY_SEE: { describe: string; holds(access: ChannelAccess): boolean } = {
  describe: 'may see channel :id',
  holds: (access) => access.canRead(access.channel),
};

const isDmType = (access: ChannelAccess) => access.channel.type === 'dm' || access.channel.type === 'group_dm';

/** The creator counts while the channel is public, or while they are still in the private one. */
const isCreator = (access: ChannelAccess) =>
  access.channel.createdBy === access.userId && (access.channel.type === 'public' || access.channel.member);

const member = (refuse: () => AppException): Check => ({
  describe: 'member of channel :id',
  holds: (access) => access.channel.member,
  refuse,
});

const notDm: Check = {
  describe: 'not a DM',
  holds: (access) => !isDmType(access),
  refuse: () => new ChannelException(ChannelError.DmImmutable, 'Direct messages cannot be renamed, archived, left or joined'),
};

const notArchived: Check = {
  describe: 'not archived',
  holds: (access) => !access.channel.archived,
  refuse: () => new ChannelException(ChannelError.Archived, 'The channel is archived'),
};

const creatorOr = (permission: Permission): Check => ({
  describe: `creator of channel :id or ${permission}`,
  holds: (access) => isCreator(access) || access.can(permission),
  refuse: () => AppException.forbidden(`You need the permission ${permission}, or to have created the channel`),
});

export const CHANNEL_RULES: Record<ChannelAction, readonly Check[]> = {
  [ChannelAction.Read]: [],
  [ChannelAction.Post]: [member(() => AppException.forbidden('Join the channel to post in it')), notArchived],
  // Typing and read positions belong to members; to anyone else the channel is not there.
  [ChannelAction.Type]: [member(() => AppException.notFound('Channel'))],
  [ChannelAction.MarkRead]: [member(() => AppException.notFound('Channel'))],
  [ChannelAction.Join]: [
    {
      describe: 'public, or already a member',
      holds: (access) => access.channel.member || access.channel.type === 'public',
      refuse: () => new ChannelException(ChannelError.NotJoinable, 'Only public channels can be joined'),
    },
    {
      describe: 'not archived, unless already a member',
      holds: (access) => access.channel.member || !access.channel.archived,
      refuse: () => new ChannelException(ChannelError.Archived, 'The channel is archived'),
    },
  ],
  [ChannelAction.Leave]: [notDm],
  [ChannelAction.Manage]: [notDm, notArchived, creatorOr(Permission.ChannelManage)],
  [ChannelAction.Archive]: [notDm, creatorOr(Permission.ChannelArchive)],
  [ChannelAction.AddMembers]: [
    notDm,
    notArchived,
    {
      describe: `creator of channel :id, ${Permission.ChannelManage}, or a member of public channel :id with ${Permission.ChannelBrowse}`,
      holds: (access) =>
        access.channel.createdBy === access.userId ||
        access.can(Permission.ChannelManage) ||
        (access.channel.type === 'public' && access.channel.member && access.can(Permission.ChannelBrowse)),
      refuse: () => AppException.forbidden('You may not add people to this channel'),
    },
  ],
  [ChannelAction.RemoveMember]: [
    notDm,
    {
      describe: `yourself, or creator of channel :id or ${Permission.ChannelManage}`,
      holds: (access, { targetUserId }) => targetUserId === access.userId || isCreator(access) || access.can(Permission.ChannelManage),
      refuse: () => AppException.forbidden(`You need the permission ${Permission.ChannelManage}, or to have created the channel`),
    },
  ],
};

/** Throws the answer of the first check of `action`'s rule that fails (after MAY_SEE, which the caller made). */
export function enforceChannelRule(access: ChannelAccess, action: ChannelAction, context: RuleContext = {}): void {
  for (const check of CHANNEL_RULES[action]) if (!check.holds(access, context)) throw check.refuse();
}

/** The rule in words, for the route and socket snapshots and Swagger. */
export function describeChannelRule(action: ChannelAction, param = 'id'): string {
  return [MAY_SEE, ...CHANNEL_RULES[action]].map((check) => check.describe.replaceAll(':id', `:${param}`)).join(', ');
}

/**
 * What someone does to a stored message. As with channels, the checks run in order once the
 * message's channel has been found visible to the caller (else: message not found), and the
 * first that fails answers.
 */
export enum MessageAction {
  /** Read it as the history shows it (`GET /api/messages/:id`; a deleted one shows as deleted). */
  Read = 'read',
  /** Replace its text (the earlier text is kept as a version). */
  Edit = 'edit',
  /** Soft delete: the row stays, its text leaves every read path. */
  Delete = 'delete',
  /** Read its earlier texts (`GET /api/messages/:id/versions`). */
  ReadVersions = 'read-versions',
  /** Read the replies of its thread (`GET /api/messages/:id/replies`). */
  ReadReplies = 'read-replies',
  /** Follow or unfollow its thread, move one's read position in it. */
  FollowThread = 'follow-thread',
  /** Add or take back your reaction with an emoji. */
  React = 'react',
  /** Pin it to its channel, or unpin it. */
  Pin = 'pin',
  /** Quote it in a new message of another channel (the target's Post rule is the send's). */
  Forward = 'forward',
}

interface MessageCheck {
  /** How the route snapshot states it; `:id` is the message. */
  describe: string;
  holds(access: MessageAccess): boolean;
  refuse(): AppException;
}

/** A deleted message is gone for everyone: editing, deleting again or reading its versions finds nothing (Slack answers 404 too). */
const notDeleted: MessageCheck = {
  describe: 'message :id not deleted',
  holds: (access) => !access.message.deleted,
  refuse: () => AppException.notFound('Message'),
};

const isSender = (access: MessageAccess) => access.message.senderId === access.userId;

/**
 * Threads are one level deep: a reply has no thread of its own (400, as replying to one is). A
 * deleted root keeps its thread: its replies stay readable and followable.
 */
const isThreadRoot: MessageCheck = {
  describe: 'message :id is not a reply',
  holds: (access) => access.message.threadRootId === null,
  refuse: () => new MessageException(MessageError.NotThreadRoot, 'This message is a reply: threads have no threads of their own'),
};
/** Reacting and pinning are taking part: the Post rule of the message's channel (a reader who is not a member is told to join). */
const takesPart = (doing: string): MessageCheck[] => [
  notDeleted,
  { describe: 'member of its channel', holds: (access) => access.channel.member, refuse: () => AppException.forbidden(`Join the channel to ${doing}`) },
  { describe: 'its channel not archived', holds: (access) => !access.channel.archived, refuse: notArchived.refuse },
];

export const MESSAGE_RULES: Record<MessageAction, readonly MessageCheck[]> = {
  // Whoever may read the channel reads its messages one by one too (a permalink, a thread root not in the loaded page).
  [MessageAction.Read]: [],
  [MessageAction.Edit]: [
    notDeleted,
    { describe: 'sender of message :id', holds: isSender, refuse: () => AppException.forbidden('Only the sender can edit a message') },
    { describe: 'member of its channel', holds: (access) => access.channel.member, refuse: () => AppException.forbidden('Join the channel to edit in it') },
    { describe: 'its channel not archived', holds: (access) => !access.channel.archived, refuse: notArchived.refuse },
  ],
  [MessageAction.Delete]: [
    notDeleted,
    {
      describe: `sender of message :id or ${Permission.MessageDeleteAny}`,
      holds: (access) => isSender(access) || access.can(Permission.MessageDeleteAny),
      refuse: () => AppException.forbidden(`You need the permission ${Permission.MessageDeleteAny} to delete someone else's message`),
    },
  ],
  [MessageAction.ReadVersions]: [
    notDeleted,
    {
      describe: `sender of message :id, ${Permission.AuditRead} or ${Permission.EdiscoveryExport}`,
      holds: (access) => isSender(access) || access.can(Permission.AuditRead) || access.can(Permission.EdiscoveryExport),
      refuse: () =>
        AppException.forbidden(`Only the sender, or someone with ${Permission.AuditRead} or ${Permission.EdiscoveryExport}, may read earlier versions`),
    },
  ],
  // Whoever may read the channel reads its threads, and may follow them (as they may read its history).
  [MessageAction.ReadReplies]: [isThreadRoot],
  [MessageAction.FollowThread]: [isThreadRoot],
  [MessageAction.React]: takesPart('react in it'),
  [MessageAction.Pin]: takesPart('pin in it'),
  // Whoever may read a message may quote it elsewhere (Slack's rule); where it goes is the send's check, made by the send.
  [MessageAction.Forward]: [{ ...notDeleted, describe: `${notDeleted.describe}, then as a send: the Post rule of channel channelId (the body)` }],
};

/** Throws the answer of the first check of `action`'s rule that fails (after MAY_SEE on its channel, which the caller made). */
export function enforceMessageRule(access: MessageAccess, action: MessageAction): void {
  for (const check of MESSAGE_RULES[action]) if (!check.holds(access)) throw check.refuse();
}

/** A message rule in words: its channel visible, then its checks. */
export function describeMessageRule(action: MessageAction, param = 'id'): string {
  return ['may see the channel of message :id', ...MESSAGE_RULES[action].map((check) => check.describe)]
    .map((text) => text.replaceAll(':id', `:${param}`))
    .join(', ');
}

/**
 * A file's access is its channel's, once it is found visible: not removed, its message not
 * deleted, and, while it is not yet sent, only to the person who uploaded it. Otherwise it is
 * "not found".
 */
export const FILE_VISIBLE = {
  describe: 'file :id not deleted (nor its message), and sent or uploaded by you',
  holds: (access: FileAccess): boolean => access.file.messageId !== null || access.file.uploaderId === access.userId,
};

/** A file rule in words: its channel visible, the file visible, then the channel rule's checks. */
export function describeFileRule(action: ChannelAction, param = 'id'): string {
  return ['may see the channel of file :id', FILE_VISIBLE.describe, ...CHANNEL_RULES[action].map((check) => check.describe.replaceAll('channel :id', 'its channel'))]
    .map((text) => text.replaceAll(':id', `:${param}`))
    .join(', ');
}

/**
 * What someone does in a workspace, where more than "member, with one permission" decides it
 * (those routes say `@RequirePermission`). The caller's membership is resolved first (none:
 * "not found"); each rule's checks then run in order and the first that fails answers.
 */
export enum WorkspaceAction {
  /** See the people of the workspace: the member list, presence. */
  SeePeople = 'see-people',
  /** Take a member out (yourself: leaving). */
  RemoveMember = 'remove-member',
  ChangeMemberRole = 'change-member-role',
  /** Deactivate or reactivate a member. */
  SetMemberActive = 'set-member-active',
  Invite = 'invite',
  CreateRole = 'create-role',
  EditRole = 'edit-role',
  /** List the workspace's channels. */
  ListChannels = 'list-channels',
  CreateChannel = 'create-channel',
  OpenDm = 'open-dm',
}

/** What a workspace rule may look at besides the caller; each check names what it needs. */
export interface WorkspaceRuleContext {
  /** The person the route acts on (`:userId`). */
  targetUserId?: string;
  /** What the role of the member acted on (or the role edited) allows. */
  targetPermissions?: Iterable<Permission>;
  /** What the route hands out: the role given or invited into, a role's new permissions. */
  granted?: Iterable<Permission>;
  visibility?: ChannelVisibility;
  /** Whether everyone a conversation would include shares a channel (not a DM) with the caller. */
  sharesChannelWithAll?: boolean;
}

interface WorkspaceCheck {
  describe: string;
  holds(access: WorkspaceAccess, context: WorkspaceRuleContext): boolean;
  refuse(context: WorkspaceRuleContext): AppException;
}

interface WorkspaceRule {
  /** Needed of the caller's role: the guard checks it before anything else (403), and so does the service. */
  permission?: Permission;
  /** Checks on the request alone, made by the service first thing. */
  request?: readonly WorkspaceCheck[];
  /** Checks on what the route acts on, made by the service once it has found it (a member's role, a role). */
  target?: readonly WorkspaceCheck[];
  /** A limit on what the caller gets to see: a filter, not a refusal. */
  sees?: { describe: string };
}

/** A context value a check cannot do without: a service that forgets it is a bug, not a pass. */
function needs<T>(value: T | undefined, name: keyof WorkspaceRuleContext): T {
  if (value === undefined) throw new Error(`This access check needs context.${name}`);
  return value;
}

const isTarget = (access: WorkspaceAccess, context: WorkspaceRuleContext) =>
  needs(context.targetUserId, 'targetUserId') === access.userId;

const permissionNeeded = (permission: Permission) => AppException.forbidden(`You need the permission ${permission} to do that`);

/** Nobody acts on, or hands out, more than they hold. */
const holdsAllOf = (describe: string, of: 'targetPermissions' | 'granted', doing: string): WorkspaceCheck => ({
  describe,
  holds: (access, context) => access.covers(needs(context[of], of)),
  refuse: () => new WorkspaceException(WorkspaceError.RoleAboveYours, `You cannot ${doing}`),
});

/** A guest sees only the people who share a channel with them (and themselves); everyone else sees all members. */
export const PEOPLE_SEEN = {
  describe: 'a guest sees only people who share a channel with them',
  onlyChannelPeers: (access: WorkspaceAccess): boolean => access.builtIn === 'guest',
};

/** The channel list holds the caller's channels and DMs, and the public channels too if they may browse (as MAY_SEE). */
export const CHANNELS_LISTED = {
  describe: `public channels you are not in only with ${Permission.ChannelBrowse}`,
  withPublic: (access: WorkspaceAccess): boolean => access.can(Permission.ChannelBrowse),
};

export const WORKSPACE_RULES: Record<WorkspaceAction, WorkspaceRule> = {
  [WorkspaceAction.SeePeople]: { sees: PEOPLE_SEEN },
  [WorkspaceAction.RemoveMember]: {
    request: [
      {
        describe: `:userId is you, or needs ${Permission.MemberRemove}`,
        holds: (access, context) => isTarget(access, context) || access.can(Permission.MemberRemove),
        refuse: () => permissionNeeded(Permission.MemberRemove),
      },
    ],
    target: [
      {
        describe: 'for anyone else, you hold all permissions of their role',
        holds: (access, context) =>
          isTarget(access, context) || access.covers(needs(context.targetPermissions, 'targetPermissions')),
        refuse: () =>
          new WorkspaceException(WorkspaceError.RoleAboveYours, 'You cannot remove someone whose role is above yours'),
      },
    ],
  },
  [WorkspaceAction.ChangeMemberRole]: {
    permission: Permission.MemberManage,
    target: [
      holdsAllOf(
        'you hold all permissions of the role of :userId',
        'targetPermissions',
        'change the role of someone whose role is above yours',
      ),
      holdsAllOf('you hold all permissions of the role given', 'granted', 'give a role with permissions you do not have'),
    ],
  },
  [WorkspaceAction.SetMemberActive]: {
    permission: Permission.MemberManage,
    request: [
      {
        describe: ':userId is not you',
        holds: (access, context) => !isTarget(access, context),
        refuse: () => new WorkspaceException(WorkspaceError.SelfDeactivation, 'You cannot deactivate or reactivate yourself'),
      },
    ],
    target: [
      holdsAllOf(
        'you hold all permissions of the role of :userId',
        'targetPermissions',
        'deactivate someone whose role is above yours',
      ),
    ],
  },
  [WorkspaceAction.Invite]: {
    permission: Permission.MemberInvite,
    target: [
      holdsAllOf('you hold all permissions of the role invited into', 'granted', 'invite someone into a role above yours'),
    ],
  },
  [WorkspaceAction.CreateRole]: {
    permission: Permission.RoleManage,
    request: [holdsAllOf('you hold all permissions you give the role', 'granted', 'grant permissions you do not have')],
  },
  [WorkspaceAction.EditRole]: {
    permission: Permission.RoleManage,
    target: [
      holdsAllOf('you hold all permissions of role :roleId', 'targetPermissions', 'grant permissions you do not have'),
      holdsAllOf('you hold all permissions you give it', 'granted', 'grant permissions you do not have'),
    ],
  },
  [WorkspaceAction.ListChannels]: { sees: CHANNELS_LISTED },
  [WorkspaceAction.CreateChannel]: {
    request: [
      {
        describe: `needs ${Permission.ChannelCreatePublic} or ${Permission.ChannelCreatePrivate}, by visibility`,
        holds: (access, context) => access.can(channelCreatePermission(context)),
        refuse: (context) => permissionNeeded(channelCreatePermission(context)),
      },
    ],
  },
  [WorkspaceAction.OpenDm]: {
    target: [
      {
        describe: `needs ${Permission.DmCreate}, or only people who share a channel with you`,
        holds: (access, context) => access.can(Permission.DmCreate) || needs(context.sharesChannelWithAll, 'sharesChannelWithAll'),
        refuse: () => AppException.forbidden('Guests can message only people who share a channel with them'),
      },
    ],
  },
};

function channelCreatePermission(context: WorkspaceRuleContext): Permission {
  return needs(context.visibility, 'visibility') === 'public' ? Permission.ChannelCreatePublic : Permission.ChannelCreatePrivate;
}

/**
 * The checks `action`'s rule makes on the request: its permission, then the rest; throws the
 * answer of the first that fails. A service calls it first thing (REST has checked the
 * permission already, in the guard).
 */
export function enforceWorkspaceRule(access: WorkspaceAccess, action: WorkspaceAction, context: WorkspaceRuleContext = {}): void {
  const rule = WORKSPACE_RULES[action];
  if (rule.permission && !access.can(rule.permission)) throw permissionNeeded(rule.permission);
  for (const check of rule.request ?? []) if (!check.holds(access, context)) throw check.refuse(context);
}

/** The checks `action`'s rule makes on what the route acts on, once the service has found it. */
export function enforceWorkspaceRuleOnTarget(
  access: WorkspaceAccess,
  action: WorkspaceAction,
  context: WorkspaceRuleContext,
): void {
  for (const check of WORKSPACE_RULES[action].target ?? []) if (!check.holds(access, context)) throw check.refuse(context);
}

/** The permission the rule of `action` needs of the caller's role, if any (the guard checks it). */
export function workspaceRulePermission(action: WorkspaceAction | undefined): Permission | undefined {
  return action ? WORKSPACE_RULES[action].permission : undefined;
}

/** The rule of a workspace route in words: membership, the permission it needs, and its action's checks. */
export function describeWorkspaceRule(param: string, permission?: Permission, action?: WorkspaceAction): string {
  const rule: WorkspaceRule = action ? WORKSPACE_RULES[action] : {};
  const needed = permission ?? rule.permission;
  return [
    `member of workspace :${param}`,
    needed ? `needs ${needed}` : null,
    ...[...(rule.request ?? []), ...(rule.target ?? [])].map((check) => check.describe),
    rule.sees?.describe ?? null,
  ]
    .filter(Boolean)
    .join(', ');
}
