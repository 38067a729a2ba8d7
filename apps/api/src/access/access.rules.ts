import { Permission } from '@parley/contracts';
import { AppException } from '../common/app-exception';
import { ChannelError, ChannelException } from '../common/domain-errors';
import { ChannelAccess } from './workspace-access';

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

/** The rule of a workspace route in words: membership, and the permission if one is needed. */
export function describeWorkspaceRule(param: string, permission?: Permission): string {
  return [`member of workspace :${param}`, permission ? `needs ${permission}` : null].filter(Boolean).join(', ');
}

