import { Injectable } from '@nestjs/common';
import { Permission } from '@parley/contracts';
import { AccessService } from '../access/access.service';
import { ChannelRepository } from './channel.repository';
import { WorkspaceMemberEvent } from '../events/app-events';
import { AppEventListenerOptions, EventBus, OnAppEvent } from '../events/event-bus';

/** The channel every new workspace starts with and every new member joins. */
export const DEFAULT_CHANNEL = 'general';

/** These listeners' work is part of the workspace change: a failure fails the request that made it. */
const PART_OF_THE_CHANGE: AppEventListenerOptions = { promisify: true, suppressErrors: false };

/** Keeps channel membership in step with workspace membership. */
@Injectable()
export class WorkspaceEventsListener {
  constructor(
    private readonly channels: ChannelRepository,
    private readonly events: EventBus,
    private readonly access: AccessService,
  ) {}

  @OnAppEvent('workspace.created', PART_OF_THE_CHANGE)
  async onCreated({ workspaceId, userId }: WorkspaceMemberEvent): Promise<void> {
    const channelId = await this.channels.insert(
      { workspaceId, type: 'public', name: DEFAULT_CHANNEL, topic: 'Announcements and conversation for everyone', createdBy: userId },
      [userId],
    );
    await this.added(workspaceId, channelId, userId);
  }

  @OnAppEvent('workspace.member.joined', PART_OF_THE_CHANGE)
  async onJoined({ workspaceId, userId }: WorkspaceMemberEvent): Promise<void> {
    // Guests (roles that may not browse channels) join only the channels they are added to.
    const access = await this.access.forWorkspace(userId, workspaceId);
    if (!access?.can(Permission.ChannelBrowse)) return;
    for (const channelId of await this.channels.joinPublicByName(workspaceId, DEFAULT_CHANNEL, userId)) {
      await this.added(workspaceId, channelId, userId);
    }
  }

  @OnAppEvent('workspace.member.removed', PART_OF_THE_CHANGE)
  async onRemoved({ workspaceId, userId }: WorkspaceMemberEvent): Promise<void> {
    for (const channelId of await this.channels.removeFromWorkspace(workspaceId, userId)) {
      await this.events.emit('channel.members.removed', { workspaceId, channelId, userIds: [userId] });
    }
  }

  private async added(workspaceId: string, channelId: string, userId: string): Promise<void> {
    await this.events.emit('channel.members.added', { workspaceId, channelId, userIds: [userId] });
  }
}
