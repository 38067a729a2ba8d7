import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BuiltInRole, ChannelType } from '@parley/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from '../database/prepared';
import { WorkspaceMember } from '../workspaces/entities/workspace-member.entity';
import { activeMember, seesAllPeople } from './membership.sql';

/** A user's membership of a workspace with the role's kind and stored permissions. */
export interface MembershipRow {
  workspace_id: string;
  role_id: string;
  role_name: string;
  built_in: BuiltInRole | null;
  /** Stored names: a custom role's permissions, empty for a built-in one (see permissionsOf). */
  permissions: string[];
}

/** The same, for the workspace of a channel, with what the access rules need of the channel. */
export interface ChannelMembershipRow extends MembershipRow {
  channel_id: string;
  channel_type: ChannelType;
  channel_name: string | null;
  created_by: string | null;
  archived: boolean;
  channel_member: boolean;
}

/** The same, for the channel of a message, with what the message rules need of the message. */
export interface MessageMembershipRow extends ChannelMembershipRow {
  message_id: string;
  sender_id: string;
  deleted: boolean;
  thread_root_id: string | null;
}

/** The same, for the channel file $1 was uploaded to, with what the file rule needs of the file. */
export interface FileMembershipRow extends ChannelMembershipRow {
  file_id: string;
  uploader_id: string;
  message_id: string | null;
  /** The file was removed, or the message it is attached to was deleted. */
  gone: boolean;
}

/**
 * Workspace and channel membership: who is an active member of what. The access checks,
 * the socket rooms and every "is this person still here" question read it from here.
 */
@Injectable()
export class MembershipRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The active membership of a workspace that still exists, or null. */
  async findWorkspaceMembership(userId: string, workspaceId: string): Promise<MembershipRow | null> {
    const rows = await preparedQuery<MembershipRow>(
      this.dataSource,
      'parley_access_workspace',
      `SELECT m.workspace_id, m.role_id, r.name AS role_name, r.built_in, r.permissions
         FROM workspace_members m
         JOIN roles r ON r.id = m.role_id
         JOIN workspaces w ON w.id = m.workspace_id AND w.deleted_at IS NULL
        WHERE m.workspace_id = $1 AND m.user_id = $2 AND ${activeMember('m')}`,
      [workspaceId, userId],
    );
    return rows[0] ?? null;
  }

  /** The active membership of the workspace channel $1 belongs to, with the channel's facts; null if none. */
  async findChannelMembership(userId: string, channelId: string): Promise<ChannelMembershipRow | null> {
    const rows = await preparedQuery<ChannelMembershipRow>(
      this.dataSource,
      'parley_access_channel',
      `SELECT ${CHANNEL_MEMBERSHIP_COLUMNS}
         FROM channels c
         ${CHANNEL_MEMBERSHIP_JOINS}
        WHERE c.id = $1`,
      [channelId, userId],
    );
    return rows[0] ?? null;
  }

  /** As findChannelMembership, for the channel message $1 is in, with the message's facts; null if either is missing. */
  async findMessageMembership(userId: string, messageId: string): Promise<MessageMembershipRow | null> {
    const rows = await preparedQuery<MessageMembershipRow>(
      this.dataSource,
      'parley_access_message',
      `SELECT ${CHANNEL_MEMBERSHIP_COLUMNS},
              msg.id AS message_id, msg.sender_id, msg.deleted_at IS NOT NULL AS deleted, msg.thread_root_id
         FROM messages msg
         JOIN channels c ON c.id = msg.channel_id
         ${CHANNEL_MEMBERSHIP_JOINS}
        WHERE msg.id = $1`,
      [messageId, userId],
    );
    return rows[0] ?? null;
  }

  /** As findChannelMembership, for the channel file $1 was uploaded to, with the file's facts; null if either is missing. */
  async findFileMembership(userId: string, fileId: string): Promise<FileMembershipRow | null> {
    const rows = await preparedQuery<FileMembershipRow>(
      this.dataSource,
      'parley_access_file',
      `SELECT ${CHANNEL_MEMBERSHIP_COLUMNS},
              f.id AS file_id, f.uploader_id, f.message_id,
              (f.deleted_at IS NOT NULL OR msg.deleted_at IS NOT NULL) AS gone
         FROM files f
         JOIN channels c ON c.id = f.channel_id
         LEFT JOIN messages msg ON msg.id = f.message_id
         ${CHANNEL_MEMBERSHIP_JOINS}
        WHERE f.id = $1`,
      [fileId, userId],
    );
    return rows[0] ?? null;
  }

  /**
   * Where a user is now, for their socket's rooms: the live workspaces they are an active member
   * of, and their channels there with each channel's newest seq. One statement per connection.
   */
  async findSocketRooms(userId: string): Promise<{ workspaces: SocketWorkspace[]; channels: { id: string; lastSeq: number; lastChangeSeq: number }[] }> {
    const rows = await preparedQuery<{ workspace_id: string | null; sees_all: boolean | null; channel_id: string | null; last_seq: string | null; last_change_seq: string | null }>(
      this.dataSource,
      'parley_socket_rooms',
      `SELECT m.workspace_id, ${seesAllPeople('r')} AS sees_all, NULL::uuid AS channel_id, NULL::bigint AS last_seq, NULL::bigint AS last_change_seq
         FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id AND w.deleted_at IS NULL
         JOIN roles r ON r.id = m.role_id
        WHERE m.user_id = $1 AND ${activeMember('m')}
       UNION ALL
       SELECT NULL::uuid, NULL::boolean, cm.channel_id, c.last_seq, c.last_change_seq
         FROM channel_members cm
         JOIN channels c ON c.id = cm.channel_id
         JOIN workspace_members m ON m.workspace_id = c.workspace_id AND m.user_id = cm.user_id AND ${activeMember('m')}
         JOIN workspaces w ON w.id = c.workspace_id AND w.deleted_at IS NULL
        WHERE cm.user_id = $1`,
      [userId],
    );
    return {
      workspaces: rows.flatMap((row) => (row.workspace_id ? [{ id: row.workspace_id, seesAllPeople: row.sees_all === true }] : [])),
      channels: rows.flatMap((row) => (row.channel_id ? [{ id: row.channel_id, lastSeq: Number(row.last_seq), lastChangeSeq: Number(row.last_change_seq) }] : [])),
    };
  }

  /** Whether an active member of the workspace sees all its people (PEOPLE_SEEN); null when not an active member. */
  async seesAllPeople(workspaceId: string, userId: string): Promise<boolean | null> {
    const rows: { sees_all: boolean }[] = await this.dataSource.query(
      `SELECT ${seesAllPeople('r')} AS sees_all FROM workspace_members m JOIN roles r ON r.id = m.role_id
        WHERE m.workspace_id = $1 AND m.user_id = $2 AND ${activeMember('m')}`,
      [workspaceId, userId],
    );
    return rows[0]?.sees_all ?? null;
  }

  /**
   * Who hears the user's presence, as rooms: the workspaces they are an active member of (whose
   * members who see all people hear it) and their channels (whose guests hear it).
   */
  async presenceAudienceOf(userId: string): Promise<{ workspaceIds: string[]; channelIds: string[] }> {
    const { workspaces, channels } = await this.findSocketRooms(userId);
    return { workspaceIds: workspaces.map((w) => w.id), channelIds: channels.map((c) => c.id) };
  }

  /** Which of `userIds` are active members of the workspace. */
  async activeMemberIds(workspaceId: string, userIds: string[], manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: { user_id: string }[] = await manager.query(
      `SELECT m.user_id FROM workspace_members m WHERE m.workspace_id = $1 AND m.user_id = ANY($2::uuid[]) AND ${activeMember('m')}`,
      [workspaceId, userIds],
    );
    return rows.map((row) => row.user_id);
  }

  /** The workspace's members, active or not; with `onlyChannelPeersOf`, only that person and those who share a channel with them. */
  async listMembers(workspaceId: string, onlyChannelPeersOf: string | null): Promise<MemberRow[]> {
    return this.dataSource.query(
      `${MEMBER_ROW_SELECT}
        WHERE m.workspace_id = $1 AND ($2::uuid IS NULL OR m.user_id = $2 OR ${sharesChannel('m', '$1', '$2')})
        ORDER BY lower(u.display_name), u.email`,
      [workspaceId, onlyChannelPeersOf],
    );
  }

  /** One member, active or not, or null. */
  async findMember(workspaceId: string, userId: string): Promise<MemberRow | null> {
    const rows: MemberRow[] = await this.dataSource.query(`${MEMBER_ROW_SELECT} WHERE m.workspace_id = $1 AND m.user_id = $2`, [
      workspaceId,
      userId,
    ]);
    return rows[0] ?? null;
  }

  /** The membership (active or not) locked FOR UPDATE until the transaction ends, or null. */
  async lockMember(workspaceId: string, userId: string, manager: EntityManager): Promise<WorkspaceMember | null> {
    return manager
      .getRepository(WorkspaceMember)
      .createQueryBuilder('m')
      .setLock('pessimistic_write')
      .where('m.workspace_id = :workspaceId AND m.user_id = :userId', { workspaceId, userId })
      .getOne();
  }

  /** The membership as it stands (active or not), unlocked, or null. */
  async findMembership(workspaceId: string, userId: string, manager: EntityManager = this.dataSource.manager): Promise<WorkspaceMember | null> {
    return manager.getRepository(WorkspaceMember).findOneBy({ workspaceId, userId });
  }

  /** Whether someone with this email is a member of the workspace, active or not. */
  async hasMemberWithEmail(workspaceId: string, email: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 AND u.email = $2`,
      [workspaceId, email],
    );
    return rows.length > 0;
  }

  async addMember(workspaceId: string, userId: string, roleId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(WorkspaceMember).insert({ workspaceId, userId, roleId });
  }

  async setRole(workspaceId: string, userId: string, roleId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(WorkspaceMember).update({ workspaceId, userId }, { roleId });
  }

  /** Deactivates the member as of `since`, or reactivates them with null. */
  async setDeactivatedAt(workspaceId: string, userId: string, since: Date | null, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(WorkspaceMember).update({ workspaceId, userId }, { deactivatedAt: since });
  }

  async removeMember(workspaceId: string, userId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(WorkspaceMember).delete({ workspaceId, userId });
  }

  /** The active Owners, locked FOR UPDATE until the transaction ends (so two demotions cannot both pass). */
  async lockActiveOwnerIds(workspaceId: string, manager: EntityManager): Promise<string[]> {
    const rows: { user_id: string }[] = await manager.query(
      `SELECT m.user_id FROM workspace_members m JOIN roles r ON r.id = m.role_id AND r.built_in = 'owner'
        WHERE m.workspace_id = $1 AND ${activeMember('m')}
        FOR UPDATE OF m`,
      [workspaceId],
    );
    return rows.map((row) => row.user_id);
  }

  /** How many members (active or not) hold each role of the workspace. */
  async countByRole(workspaceId: string): Promise<Map<string, number>> {
    const rows: { role_id: string; n: number }[] = await this.dataSource.query(
      `SELECT role_id, count(*)::int AS n FROM workspace_members WHERE workspace_id = $1 GROUP BY role_id`,
      [workspaceId],
    );
    return new Map(rows.map((row) => [row.role_id, row.n]));
  }

  /** The active members; with `onlyChannelPeersOf`, only that person and those who share a channel with them. */
  async activeMemberIdsSeenBy(workspaceId: string, onlyChannelPeersOf: string | null): Promise<string[]> {
    const rows: { user_id: string }[] = await this.dataSource.query(
      `SELECT m.user_id FROM workspace_members m
        WHERE m.workspace_id = $1 AND ${activeMember('m')}
          AND ($2::uuid IS NULL OR m.user_id = $2 OR ${sharesChannel('m', '$1', '$2')})`,
      [workspaceId, onlyChannelPeersOf],
    );
    return rows.map((row) => row.user_id);
  }
}

/** A member as the member list shows them. */
export interface MemberRow {
  user_id: string;
  email: string;
  display_name: string;
  avatar_url: string | null;
  role_id: string;
  role_name: string;
  built_in: BuiltInRole | null;
  deactivated_at: Date | null;
  joined_at: Date;
}

const MEMBER_ROW_SELECT = `SELECT m.user_id, u.email, u.display_name, u.avatar_url, m.role_id, r.name AS role_name, r.built_in,
              m.deactivated_at, m.joined_at
         FROM workspace_members m JOIN users u ON u.id = m.user_id JOIN roles r ON r.id = m.role_id`;

/** Member `alias` shares a channel of workspace `workspace` with user `viewer` (both SQL parameters). */
const sharesChannel = (alias: string, workspace: string, viewer: string): string =>
  `EXISTS (SELECT 1 FROM channel_members mine
             JOIN channel_members theirs ON theirs.channel_id = mine.channel_id AND theirs.user_id = ${alias}.user_id
             JOIN channels c ON c.id = mine.channel_id AND c.workspace_id = ${workspace}
            WHERE mine.user_id = ${viewer})`;

/**
 * What the access rules need of user $2 and channel `c`: their active membership of its live
 * workspace, their role, and the channel's facts. Shared by the channel and message checks.
 */
const CHANNEL_MEMBERSHIP_COLUMNS = `m.workspace_id, m.role_id, r.name AS role_name, r.built_in, r.permissions,
              c.id AS channel_id, c.type AS channel_type, c.name AS channel_name, c.created_by,
              c.archived_at IS NOT NULL AS archived,
              EXISTS (SELECT 1 FROM channel_members cm WHERE cm.channel_id = c.id AND cm.user_id = $2) AS channel_member`;

const CHANNEL_MEMBERSHIP_JOINS = `JOIN workspace_members m ON m.workspace_id = c.workspace_id AND m.user_id = $2 AND ${activeMember('m')}
         JOIN roles r ON r.id = m.role_id
         JOIN workspaces w ON w.id = c.workspace_id AND w.deleted_at IS NULL`;

/** A workspace a socket's person is an active member of, and whether they see all its people (PEOPLE_SEEN). */
export interface SocketWorkspace {
  id: string;
  seesAllPeople: boolean;
}
