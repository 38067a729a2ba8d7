/**
 * Emitted (and awaited, with emitAsync) by the channels module after membership or channel
 * changes are committed, so that the answer leaves once every socket has followed the change.
 */
export const ChannelEvent = {
  Created: 'channel.created',
  MembersAdded: 'channel.members.added',
  MembersRemoved: 'channel.members.removed',
  Updated: 'channel.updated',
} as const;

export interface ChannelMembersEvent {
  workspaceId: string;
  channelId: string;
  userIds: string[];
}

export interface ChannelUpdatedEvent {
  workspaceId: string;
  channelId: string;
}
