import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BUILT_IN_ROLE_NAMES, BuiltInRole, permissionsOf, RoleCatalogue, WorkspaceDto } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { auditedTransaction } from '../audit/audited-transaction';
import { AuditContext } from '../audit/audit-context';
import { AppException } from '../common/app-exception';
import { EventBus } from '../events/event-bus';
import { Role } from '../rbac/entities/role.entity';
import { InjectRoleCatalogue } from '../rbac/role-catalogue';
import { WorkspaceAccess } from '../access/workspace-access';
import { CreateWorkspaceDto, UpdateWorkspaceDto } from './dto/workspace.dto';
import { WorkspaceMember } from './entities/workspace-member.entity';
import { Workspace } from './entities/workspace.entity';

interface WorkspaceRow {
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

@Injectable()
export class WorkspacesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventBus,
    @InjectRoleCatalogue() private readonly catalogue: RoleCatalogue,
  ) {}

  /**
   * The creator becomes its Owner; the four built-in roles are made with it. They store no
   * permissions: what a built-in role may do comes from the catalogue at access time.
   */
  async create(userId: string, dto: CreateWorkspaceDto): Promise<WorkspaceDto> {
    const workspaceId = await auditedTransaction(this.dataSource, async (manager) => {
      const workspace = await manager.getRepository(Workspace).save({
        name: dto.name,
        description: dto.description ?? null,
        settings: {},
        createdBy: userId,
        deletedAt: null,
      });
      const builtIns = Object.keys(BUILT_IN_ROLE_NAMES) as BuiltInRole[];
      const roles = await manager.getRepository(Role).save(
        builtIns.map((builtIn) => ({
          workspaceId: workspace.id,
          name: BUILT_IN_ROLE_NAMES[builtIn],
          permissions: [],
          builtIn,
        })),
      );
      const owner = roles.find((role) => role.builtIn === 'owner')!;
      await manager.getRepository(WorkspaceMember).insert({ workspaceId: workspace.id, userId, roleId: owner.id });
      // The event opens the new workspace's own chain.
      AuditContext.annotate({ workspaceId: workspace.id, targetId: workspace.id, details: { name: workspace.name } });
      return workspace.id;
    });
    await this.events.emit('workspace.created', { workspaceId, userId });
    return (await this.findForUser(userId, workspaceId))!;
  }

  /** The caller's workspaces (active memberships), with their role in each. */
  async listForUser(userId: string): Promise<WorkspaceDto[]> {
    return (await this.query(userId, null)).map((row) => this.toWorkspaceDto(row));
  }

  async get(access: WorkspaceAccess): Promise<WorkspaceDto> {
    const found = await this.findForUser(access.userId, access.workspaceId);
    if (!found) throw AppException.notFound('Workspace');
    return found;
  }

  async update(access: WorkspaceAccess, dto: UpdateWorkspaceDto): Promise<WorkspaceDto> {
    const repository = this.dataSource.getRepository(Workspace);
    const workspace = await repository.findOneByOrFail({ id: access.workspaceId });
    if (dto.name !== undefined) workspace.name = dto.name;
    if (dto.description !== undefined) workspace.description = dto.description || null;
    if (dto.settings !== undefined) workspace.settings = { ...workspace.settings, ...dto.settings };
    await auditedTransaction(this.dataSource, (manager) => manager.getRepository(Workspace).save(workspace));
    return this.get(access);
  }

  /** Deleting hides the workspace for everyone at once; its audit log is kept. */
  async remove(access: WorkspaceAccess): Promise<void> {
    await auditedTransaction(this.dataSource, (manager) =>
      manager.getRepository(Workspace).update({ id: access.workspaceId }, { deletedAt: new Date() }),
    );
    await this.events.emit('workspace.deleted', { workspaceId: access.workspaceId, userId: access.userId });
  }

  private async findForUser(userId: string, workspaceId: string): Promise<WorkspaceDto | null> {
    const rows = await this.query(userId, workspaceId);
    return rows.length ? this.toWorkspaceDto(rows[0]) : null;
  }

  private query(userId: string, workspaceId: string | null): Promise<WorkspaceRow[]> {
    return this.dataSource.query(
      `SELECT w.id, w.name, w.description, w.settings, w.created_at,
              r.id AS role_id, r.name AS role_name, r.built_in, r.permissions
         FROM workspace_members m
         JOIN workspaces w ON w.id = m.workspace_id AND w.deleted_at IS NULL
         JOIN roles r ON r.id = m.role_id
        WHERE m.user_id = $1 AND m.deactivated_at IS NULL AND ($2::uuid IS NULL OR w.id = $2::uuid)
        ORDER BY lower(w.name), w.created_at`,
      [userId, workspaceId],
    );
  }

  private toWorkspaceDto(row: WorkspaceRow): WorkspaceDto {
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      settings: row.settings,
      createdAt: new Date(row.created_at).toISOString(),
      role: { id: row.role_id, name: row.role_name, builtIn: row.built_in },
      permissions: [...permissionsOf({ builtIn: row.built_in, permissions: row.permissions }, this.catalogue)],
    };
  }
}
