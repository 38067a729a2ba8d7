import { MessageChangeEvent, MessageDto, ReadUpdateEvent, StatusUpdateEvent, UserTypingEvent, UserUpdatedEvent } from '@parley/contracts';

/*
 * Every internal event of the api, in one place: its name, its payload, and whether the one
 * who emits it waits for the listeners. Modules tell modules above them what happened through
 * these (workspaces → channels → realtime, messages → realtime), never by importing them.
 *
 * Names are `<module>[.<subject>].<what happened>`, lower case, dot-separated, the last word a past
 * participle (`message.created`, `workspace.member.joined`).
 * They are internal: the Socket.IO events the clients see are in `@parley/contracts`.
 */

export interface WorkspaceMemberEvent {
  workspaceId: string;
  userId: string;
}

export interface ChannelMembersEvent {
  workspaceId: string;
  channelId: string;
  userIds: string[];
}

export interface ChannelUpdatedEvent {
  workspaceId: string;
  channelId: string;
}

export interface SessionRevokedEvent {
  sessionId: string;
  userId: string;
}

/** Event name → payload. `EventBus.emit` and `@OnAppEvent` are checked against it. */
export interface AppEvents {
  /** A workspace was created; `userId` is its creator, its first member. */
  'workspace.created': WorkspaceMemberEvent;
  /** Someone accepted an invite. */
  'workspace.member.joined': WorkspaceMemberEvent;
  'workspace.member.removed': WorkspaceMemberEvent;
  'workspace.member.deactivated': WorkspaceMemberEvent;
  'workspace.member.reactivated': WorkspaceMemberEvent;
  /** A member's role changed (whom they may see may have: PEOPLE_SEEN). */
  'workspace.member.role.changed': WorkspaceMemberEvent;
  /** `userId` is who deleted it. */
  'workspace.deleted': WorkspaceMemberEvent;
  /** Someone turned sending read receipts off. */
  'user.read-receipts.withdrawn': { userId: string };
  /** Someone's name, picture or status text changed (committed). */
  'user.profile.changed': UserUpdatedEvent;
  /** Someone removed their picture through PATCH /api/users/me: `avatarUrl` is the one they had. */
  'user.avatar.dropped': { userId: string; avatarUrl: string };

  'channel.created': ChannelUpdatedEvent;
  'channel.updated': ChannelUpdatedEvent;
  'channel.members.added': ChannelMembersEvent;
  'channel.members.removed': ChannelMembersEvent;

  /** A message was committed (its seq is final). */
  'message.created': MessageDto;
  /** A message was edited or deleted (committed; its changeSeq is final). */
  'message.changed': MessageChangeEvent;
  /** A member's read position moved forward. */
  'message.read': ReadUpdateEvent;

  /** What others see of a person's status changed. */
  'presence.changed': StatusUpdateEvent;
  /** Someone started or stopped typing (also when typing ran out by itself). */
  'presence.typing.changed': UserTypingEvent;

  /** A session ended, so live connections made with it must close. */
  'session.revoked': SessionRevokedEvent;
}

export type AppEventName = keyof AppEvents;

/**
 * - `awaited`: `emit` resolves once every listener has finished (`emitAsync`), and a listener
 *   that refuses to swallow its error (`suppressErrors: false`) fails the emit.
 * - `background`: the listeners are called at once (up to their first `await`), and `emit`
 *   resolves without waiting for them: the emitter's answer never waits on fan-out.
 */
export type AppEventDelivery = 'awaited' | 'background';

/**
 * How each event is delivered, decided once per event (a new event does not compile until it
 * is decided here).
 *
 * Membership and channel changes are awaited: the realtime gateway moves socket rooms (on every
 * instance) in its listeners, and the HTTP answer must leave only after that, so the next
 * message reaches, or no longer reaches, those sockets; the channels module's listeners also
 * write rows that are part of the operation (the default channel of a new workspace).
 *
 * Messages, message changes, read positions, presence, typing and session ends are background: they are
 * fan-out only, the sender's answer must be as fast as the commit, and the listeners run
 * synchronously up to their first await, so messages reach ordered delivery in the order
 * they were emitted.
 */
export const APP_EVENT_DELIVERY: { readonly [E in AppEventName]: AppEventDelivery } = {
  'workspace.created': 'awaited',
  'workspace.member.joined': 'awaited',
  'workspace.member.removed': 'awaited',
  'workspace.member.deactivated': 'awaited',
  'workspace.member.reactivated': 'awaited',
  'workspace.member.role.changed': 'awaited',
  'workspace.deleted': 'awaited',
  'channel.created': 'awaited',
  'channel.updated': 'awaited',
  'channel.members.added': 'awaited',
  'channel.members.removed': 'awaited',
  'message.created': 'background',
  'message.changed': 'background',
  'message.read': 'background',
  'presence.changed': 'background',
  'presence.typing.changed': 'background',
  'session.revoked': 'background',
  'user.read-receipts.withdrawn': 'background',
  'user.profile.changed': 'background',
  'user.avatar.dropped': 'background',
};
