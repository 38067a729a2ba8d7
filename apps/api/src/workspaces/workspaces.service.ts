import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BUILT_IN_ROLE_NAMES, BuiltInRole, permissionsOf, RoleCatalogue, WorkspaceDto } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { MembershipRepository } from '../access/membership.repository';
import { WorkspaceAccess } from '../access/workspace-access';
import { auditedTransaction } from '../audit/audited-transaction';
import { AuditContext } from '../audit/audit-context';
import { AppException } from '../common/app-exception';
import { EventBus } from '../events/event-bus';
import { InjectRoleCatalogue } from '../rbac/role-catalogue';
import { RoleRepository } from '../rbac/role.repository';
import { CreateWorkspaceDto, UpdateWorkspaceDto } from './dto/workspace.dto';
import { WorkspaceRepository, WorkspaceRow } from './workspace.repository';

@Injectable()
export class WorkspacesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workspaces: WorkspaceRepository,
    private readonly roles: RoleRepository,
    private readonly memberships: MembershipRepository,
    private readonly events: EventBus,
    @InjectRoleCatalogue() private readonly catalogue: RoleCatalogue,
  ) {}

  /**
   * The creator becomes its Owner; the four built-in roles are made with it. They store no
   * permissions: what a built-in role may do comes from the catalogue at access time.
   */
  async create(userId: string, dto: CreateWorkspaceDto): Promise<WorkspaceDto> {
    const workspaceId = await auditedTransaction(this.dataSource, async (manager) => {
      const workspace = await this.workspaces.insert({ name: dto.name, description: dto.description ?? null, settings: {}, createdBy: userId }, manager);
      const builtIns = Object.keys(BUILT_IN_ROLE_NAMES) as BuiltInRole[];
      const roles = await this.roles.insert(
        builtIns.map((builtIn) => ({ workspaceId: workspace.id, name: BUILT_IN_ROLE_NAMES[builtIn], permissions: [], builtIn })),
        manager,
      );
      const owner = roles.find((role) => role.builtIn === 'owner')!;
      await this.memberships.addMember(workspace.id, userId, owner.id, manager);
      // The event opens the new workspace's own chain.
      AuditContext.annotate({ workspaceId: workspace.id, targetId: workspace.id, details: { name: workspace.name } });
      return workspace.id;
    });
    await this.events.emit('workspace.created', { workspaceId, userId });
    return (await this.findForUser(userId, workspaceId))!;
  }

  /** The caller's workspaces (active memberships), with their role in each. */
  async listForUser(userId: string): Promise<WorkspaceDto[]> {
    return (await this.workspaces.listForMember(userId)).map((row) => this.toWorkspaceDto(row));
  }

  async get(access: WorkspaceAccess): Promise<WorkspaceDto> {
    const found = await this.findForUser(access.userId, access.workspaceId);
    if (!found) throw AppException.notFound('Workspace');
    return found;
  }

  async update(access: WorkspaceAccess, dto: UpdateWorkspaceDto): Promise<WorkspaceDto> {
    const workspace = await this.workspaces.get(access.workspaceId);
    if (dto.name !== undefined) workspace.name = dto.name;
    if (dto.description !== undefined) workspace.description = dto.description || null;
    if (dto.settings !== undefined) workspace.settings = { ...workspace.settings, ...dto.settings };
    await auditedTransaction(this.dataSource, (manager) => this.workspaces.save(workspace, manager));
    return this.get(access);
  }

  /** Deleting hides the workspace for everyone at once; its audit log is kept. */
  async remove(access: WorkspaceAccess): Promise<void> {
    await auditedTransaction(this.dataSource, (manager) => this.workspaces.markDeleted(access.workspaceId, manager));
    await this.events.emit('workspace.deleted', { workspaceId: access.workspaceId, userId: access.userId });
  }

  private async findForUser(userId: string, workspaceId: string): Promise<WorkspaceDto | null> {
    const [row] = await this.workspaces.listForMember(userId, workspaceId);
    return row ? this.toWorkspaceDto(row) : null;
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
