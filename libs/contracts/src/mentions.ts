/**
 * Mentions in message text. A message names people and channels by id, so a mention survives a
 * rename: `<@userId>` mentions a person, `<#channelId>` links a channel, and the words `@channel`
 * (everyone in the channel) and `@here` (everyone in it who is online) notify the whole channel.
 * The composer shows names and writes ids; clients render each token with the current name.
 *
 * The server resolves the tokens when it stores or edits a message (MessageDto.mentions): ids that
 * are no person of the workspace, or no channel the sender can see, stay in the text but mention
 * nobody (a client shows them as "@unknown" / "#unknown").
 */

/** `<@id>`: a person. */
export const USER_MENTION_PATTERN = /<@([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})>/gi;
/** `<#id>`: a channel. */
export const CHANNEL_MENTION_PATTERN = /<#([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})>/gi;
/** `@channel` or `@here` as a word of its own (not in an email address, not `@channels`). */
export const BROADCAST_MENTION_PATTERN = /(?<![\p{L}\p{M}\p{N}_@.])@(channel|here)(?![\p{L}\p{M}\p{N}_])/giu;

/** How many different people one message may mention (more is refused: MESSAGE_TOO_MANY_MENTIONS). */
export const MENTIONS_PER_MESSAGE_MAX = 50;

export type BroadcastMention = 'channel' | 'here';

/** Who a message mentions, as the server resolved it when it was stored or last edited. */
export interface MessageMentions {
  /** People of the workspace mentioned with `<@id>`, in the order first mentioned (members of the channel or not). */
  userIds: string[];
  /** Channels linked with `<#id>` that the sender could see. */
  channelIds: string[];
  /**
   * `@channel` (everyone in the channel) or `@here` (everyone in it online at the time; `channel`
   * wins when both are written). Null when neither was written, or when the workspace setting
   * `broadcastMentions` did not let the sender notify everyone (the text keeps the word).
   */
  broadcast: BroadcastMention | null;
}

export const NO_MENTIONS: MessageMentions = Object.freeze({ userIds: [], channelIds: [], broadcast: null }) as MessageMentions;

/** What the text names, before anything is checked: distinct ids in order of first appearance. */
export function parseMentionTokens(text: string): MessageMentions & { broadcasts: BroadcastMention[] } {
  const distinct = (pattern: RegExp) => [...new Set([...text.matchAll(pattern)].map((match) => match[1].toLowerCase()))];
  const broadcasts = distinct(BROADCAST_MENTION_PATTERN) as BroadcastMention[];
  return {
    userIds: distinct(USER_MENTION_PATTERN),
    channelIds: distinct(CHANNEL_MENTION_PATTERN),
    broadcast: broadcasts.includes('channel') ? 'channel' : broadcasts.includes('here') ? 'here' : null,
    broadcasts,
  };
}

/**
 * Whether a message mentions person `userId`: by name, or by @channel/@here (a client online to
 * see it counts as "here"). The sender is never mentioned by their own message. The one rule for
 * highlighting, counting and notifying, in the server and the client.
 */
export function mentionsUser(message: { senderId: string; mentions: MessageMentions }, userId: string): boolean {
  if (message.senderId === userId) return false;
  return message.mentions.broadcast !== null || message.mentions.userIds.includes(userId);
}

/**
 * Who may use @channel and @here (WorkspaceSettings.broadcastMentions): `everyone` who may post
 * (the default), `managers` (holders of `channel.manage`), or `nobody`. Where the sender may not,
 * the message is stored but notifies nobody, and the answer to the sender says so.
 */
export type BroadcastMentionPolicy = 'everyone' | 'managers' | 'nobody';
export const BROADCAST_MENTION_POLICIES: readonly BroadcastMentionPolicy[] = ['everyone', 'managers', 'nobody'];
