/** Emitted by the channels module after membership or channel changes are committed. */
export const ChannelEvent = {
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
