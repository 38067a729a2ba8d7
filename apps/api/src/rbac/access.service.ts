import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BuiltInRole, permissionsOf, RoleCatalogue } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { preparedQuery } from '../database/prepared';
import { InjectRoleCatalogue } from './role-catalogue';
import { ChannelFacts, WorkspaceAccess } from './workspace-access';

interface MembershipRow {
  workspace_id: string;
  role_id: string;
  role_name: string;
  built_in: BuiltInRole | null;
  /** Stored names: a custom role's permissions, empty for a built-in one (see permissionsOf). */
  permissions: string[];
  channel_id?: string;
  channel_type?: ChannelFacts['type'];
  channel_member?: boolean;
}

/**
 * Resolves a user's membership of a workspace (or of a channel's workspace) with its
 * permissions. Each is one query that brings the role's kind and stored permissions; what the
 * role may do is then resolved in code from the catalogue (built-in roles follow the running
 * version, custom roles their stored list).
 */
@Injectable()
export class AccessService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRoleCatalogue() private readonly catalogue: RoleCatalogue,
  ) {}

  /** Null unless the user is an active member of a workspace that still exists. */
  async forWorkspace(userId: string, workspaceId: string): Promise<WorkspaceAccess | null> {
    const rows = await preparedQuery<MembershipRow>(
      this.dataSource,
      'parley_access_workspace',
      `SELECT m.workspace_id, m.role_id, r.name AS role_name, r.built_in, r.permissions
         FROM workspace_members m
         JOIN roles r ON r.id = m.role_id
         JOIN workspaces w ON w.id = m.workspace_id AND w.deleted_at IS NULL
        WHERE m.workspace_id = $1 AND m.user_id = $2 AND m.deactivated_at IS NULL`,
      [workspaceId, userId],
    );
    return rows.length ? this.toAccess(userId, rows[0]) : null;
  }

  /**
   * The membership of the workspace the channel belongs to, with what the channel is and
   * whether the user is in it; null if there is no membership (or no channel).
   */
  async forChannel(userId: string, channelId: string): Promise<WorkspaceAccess | null> {
    const rows = await preparedQuery<MembershipRow>(
      this.dataSource,
      'parley_access_channel',
      `SELECT m.workspace_id, m.role_id, r.name AS role_name, r.built_in, r.permissions,
              c.id AS channel_id, c.type AS channel_type,
              EXISTS (SELECT 1 FROM channel_members cm WHERE cm.channel_id = c.id AND cm.user_id = $2) AS channel_member
         FROM channels c
         JOIN workspace_members m ON m.workspace_id = c.workspace_id AND m.user_id = $2 AND m.deactivated_at IS NULL
         JOIN roles r ON r.id = m.role_id
         JOIN workspaces w ON w.id = c.workspace_id AND w.deleted_at IS NULL
        WHERE c.id = $1`,
      [channelId, userId],
    );
    return rows.length ? this.toAccess(userId, rows[0]) : null;
  }

  private toAccess(userId: string, row: MembershipRow): WorkspaceAccess {
    const channel: ChannelFacts | null = row.channel_id
      ? { id: row.channel_id, type: row.channel_type!, member: row.channel_member === true }
      : null;
    const permissions = permissionsOf({ builtIn: row.built_in, permissions: row.permissions }, this.catalogue);
    return new WorkspaceAccess(userId, row.workspace_id, row.role_id, row.role_name, row.built_in, permissions, channel);
  }
}
