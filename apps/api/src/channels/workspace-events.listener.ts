import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Permission } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { AccessService } from '../rbac/access.service';
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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventBus,
    private readonly access: AccessService,
  ) {}

  @OnAppEvent('workspace.created', PART_OF_THE_CHANGE)
  async onCreated({ workspaceId, userId }: WorkspaceMemberEvent): Promise<void> {
    const channelId = await this.dataSource.transaction(async (manager) => {
      const [{ id }]: { id: string }[] = await manager.query(
        `INSERT INTO channels (workspace_id, type, name, topic, created_by)
         VALUES ($1, 'public', $2, 'Announcements and conversation for everyone', $3) RETURNING id`,
        [workspaceId, DEFAULT_CHANNEL, userId],
      );
      await manager.query(`INSERT INTO channel_members (channel_id, user_id) VALUES ($1, $2)`, [id, userId]);
      return id;
    });
    await this.added(workspaceId, channelId, userId);
  }

  @OnAppEvent('workspace.member.joined', PART_OF_THE_CHANGE)
  async onJoined({ workspaceId, userId }: WorkspaceMemberEvent): Promise<void> {
    // Guests (roles that may not browse channels) join only the channels they are added to.
    const access = await this.access.forWorkspace(userId, workspaceId);
    if (!access?.can(Permission.ChannelBrowse)) return;
    const joined: { channel_id: string }[] = await this.dataSource.query(
      `INSERT INTO channel_members (channel_id, user_id)
       SELECT c.id, $3 FROM channels c
        WHERE c.workspace_id = $1 AND c.name = $2 AND c.type = 'public' AND c.archived_at IS NULL
          AND EXISTS (SELECT 1 FROM workspace_members m WHERE m.workspace_id = $1 AND m.user_id = $3)
       ON CONFLICT DO NOTHING
       RETURNING channel_id`,
      [workspaceId, DEFAULT_CHANNEL, userId],
    );
    for (const { channel_id } of joined) await this.added(workspaceId, channel_id, userId);
  }

  @OnAppEvent('workspace.member.removed', PART_OF_THE_CHANGE)
  async onRemoved({ workspaceId, userId }: WorkspaceMemberEvent): Promise<void> {
    const [left]: [{ channel_id: string }[], number] = await this.dataSource.query(
      `DELETE FROM channel_members WHERE user_id = $2 AND channel_id IN (SELECT id FROM channels WHERE workspace_id = $1)
       RETURNING channel_id`,
      [workspaceId, userId],
    );
    for (const { channel_id } of left) {
      await this.events.emit('channel.members.removed', { workspaceId, channelId: channel_id, userIds: [userId] });
    }
  }

  private async added(workspaceId: string, channelId: string, userId: string): Promise<void> {
    await this.events.emit('channel.members.added', { workspaceId, channelId, userIds: [userId] });
  }
}
