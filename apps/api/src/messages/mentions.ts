import { BroadcastMention, BroadcastMentionPolicy, ChannelType, MENTIONS_PER_MESSAGE_MAX, MessageMentions, parseMentionTokens, PresenceStatus } from '@parley/contracts';
import { MessageError, MessageException } from '@api/common/domain-errors';

/** What a text names before anything is checked (parseMentionTokens). */
export type MentionTokens = ReturnType<typeof parseMentionTokens>;

/** The mentions of a message being stored, as resolved for its sender and channel. */
export interface ResolvedMentions {
  /** messages.mentions; null when it mentions nobody and links no channel. */
  mentions: MessageMentions | null;
  /**
   * Whom to notify (a message_mentions row each) if they are members of the channel when it is
   * stored: the people named, and everyone present for @channel/@here. The statement that stores
   * it leaves out the sender and anyone no longer a member.
   */
  notify: string[];
  /** For the sender's answer (SentMessage). */
  mentionedNonMembers: string[];
  broadcastRefused: BroadcastMention | null;
}

/** What the database knows of the ids a text names, seen from its sender and channel. */
export interface MentionFacts {
  channelType: ChannelType;
  /** Of the people named, the active members of the channel's workspace. */
  workspaceMemberIds: string[];
  /** Of the people named, the members of the channel. */
  channelMemberIds: string[];
  /** Of the channels named, those of the workspace the sender may read. */
  readableChannelIds: string[];
}

/** How @channel/@here came out: whether the workspace lets the sender, and who they reach (every member, or the online ones). */
export interface BroadcastReach {
  allowed: boolean;
  reached: string[];
}

/** Statuses that count as "here" for @here: connected and not away (dnd people are here, their client keeps quiet). */
const HERE_STATUSES: ReadonlySet<PresenceStatus> = new Set<PresenceStatus>(['online', 'dnd']);

export const isHere = (status: PresenceStatus): boolean => HERE_STATUSES.has(status);

/** The tokens of a text, or null when it has none (a send without tokens costs nothing more); too many people named is refused. */
export function mentionTokensOf(text: string): MentionTokens | null {
  const tokens = parseMentionTokens(text);
  if (tokens.userIds.length > MENTIONS_PER_MESSAGE_MAX) {
    throw new MessageException(MessageError.TooManyMentions, `A message may mention at most ${MENTIONS_PER_MESSAGE_MAX} different people`);
  }
  return tokens.userIds.length || tokens.channelIds.length || tokens.broadcasts.length ? tokens : null;
}

/** Whether @channel/@here is a mention at all in this kind of channel: in DMs and group DMs it is a plain word. */
export const broadcastsIn = (type: ChannelType): boolean => type === 'public' || type === 'private';

/** Whether the workspace's policy lets the sender use @channel/@here; `isManager` is asked only for 'managers'. */
export async function broadcastAllowed(policy: BroadcastMentionPolicy | undefined, isManager: () => Promise<boolean>): Promise<boolean> {
  if (policy === 'nobody') return false;
  if (policy === 'managers') return isManager();
  return true;
}

/**
 * Keeps of the tokens what resolved (ids the database did not confirm mention nobody; the text
 * keeps them), in the order first written, and works out whom the message notifies and what its
 * sender is told.
 */
export function settleMentions(tokens: MentionTokens, facts: MentionFacts, broadcast: BroadcastReach): ResolvedMentions {
  const known = new Set(facts.workspaceMemberIds);
  const members = new Set(facts.channelMemberIds);
  const readable = new Set(facts.readableChannelIds);
  const userIds = tokens.userIds.filter((id) => known.has(id));
  const channelIds = tokens.channelIds.filter((id) => readable.has(id));
  const conversation = !broadcastsIn(facts.channelType);
  const written = conversation ? null : tokens.broadcast;
  const granted = written !== null && broadcast.allowed ? written : null;
  const notify = new Set(userIds.filter((id) => members.has(id)));
  if (granted) for (const id of broadcast.reached) notify.add(id);
  return {
    mentions: userIds.length || channelIds.length || granted ? { userIds, channelIds, broadcast: granted } : null,
    notify: [...notify],
    mentionedNonMembers: conversation ? [] : userIds.filter((id) => !members.has(id)),
    broadcastRefused: written !== null && granted === null ? written : null,
  };
}
