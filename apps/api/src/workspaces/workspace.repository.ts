import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BuiltInRole } from '@parley/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { activeMember } from '../access/membership.sql';
import { Workspace } from './entities/workspace.entity';

export type NewWorkspace = Pick<Workspace, 'name' | 'description' | 'settings' | 'createdBy'>;

/** A workspace with the caller's role in it, as their workspace list shows it. */
export interface WorkspaceRow {
  id: string;
  name: string;
  description: string | null;
  settings: Workspace['settings'];
  created_at: Date;
  role_id: string;
  role_name: string;
  built_in: BuiltInRole | null;
  /** Stored names: a custom role's permissions, empty for a built-in one. */
  permissions: string[];
}

/** Workspaces: the only place that queries `workspaces`. */
@Injectable()
export class WorkspaceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(workspace: NewWorkspace, manager: EntityManager = this.dataSource.manager): Promise<Workspace> {
    return manager.getRepository(Workspace).save({ ...workspace, deletedAt: null });
  }

  /** A workspace known to exist (the caller's membership was checked, or an invite points to it). */
  async get(workspaceId: string): Promise<Workspace> {
    return this.dataSource.getRepository(Workspace).findOneByOrFail({ id: workspaceId });
  }

  async save(workspace: Workspace, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(Workspace).save(workspace);
  }

  /** Deleting hides it for good: the row stays for its audit log. */
  async markDeleted(workspaceId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(Workspace).update({ id: workspaceId }, { deletedAt: new Date() });
  }

  /** The workspaces (all, or just `workspaceId`) the user is an active member of, with their role. */
  async listForMember(userId: string, workspaceId: string | null = null): Promise<WorkspaceRow[]> {
    return this.dataSource.query(
      `SELECT w.id, w.name, w.description, w.settings, w.created_at,
              r.id AS role_id, r.name AS role_name, r.built_in, r.permissions
         FROM workspace_members m
         JOIN workspaces w ON w.id = m.workspace_id AND w.deleted_at IS NULL
         JOIN roles r ON r.id = m.role_id
        WHERE m.user_id = $1 AND ${activeMember('m')} AND ($2::uuid IS NULL OR w.id = $2::uuid)
        ORDER BY lower(w.name), w.created_at`,
      [userId, workspaceId],
    );
  }
}
