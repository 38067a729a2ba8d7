import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { permissionsOf, RoleCatalogue, RoleDto } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { enforceWorkspaceRule, enforceWorkspaceRuleOnTarget, WorkspaceAction } from '../access/access.rules';
import { MembershipRepository } from '../access/membership.repository';
import { WorkspaceAccess } from '../access/workspace-access';
import { auditedTransaction } from '../audit/audited-transaction';
import { AuditContext } from '../audit/audit-context';
import { AppException } from '../common/app-exception';
import { isUniqueViolation } from '../common/db-errors';
import { RoleError, RoleException } from '../common/domain-errors';
import { CreateRoleDto, UpdateRoleDto } from './dto/role.dto';
import { Role } from './entities/role.entity';
import { InjectRoleCatalogue } from './role-catalogue';
import { RoleRepository } from './role.repository';

/**
 * Custom roles. Built-in roles are fixed: they follow the catalogue of the running version and
 * are listed with what it gives them. Nobody can hand out a permission they do not hold
 * (WorkspaceAction.CreateRole and EditRole).
 */
@Injectable()
export class RolesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly roles: RoleRepository,
    private readonly memberships: MembershipRepository,
    @InjectRoleCatalogue() private readonly catalogue: RoleCatalogue,
  ) {}

  async list(access: WorkspaceAccess): Promise<RoleDto[]> {
    const [roles, countOf] = await Promise.all([this.roles.listInWorkspace(access.workspaceId), this.memberships.countByRole(access.workspaceId)]);
    const order = ['owner', 'admin', 'member', 'guest'];
    return roles
      .sort((a, b) => (a.builtIn ? order.indexOf(a.builtIn) : 9) - (b.builtIn ? order.indexOf(b.builtIn) : 9))
      .map((role) => this.toRoleDto(role, countOf.get(role.id) ?? 0));
  }

  async create(access: WorkspaceAccess, dto: CreateRoleDto): Promise<RoleDto> {
    enforceWorkspaceRule(access, WorkspaceAction.CreateRole, { granted: dto.permissions });
    try {
      const role = await auditedTransaction(this.dataSource, async (manager) => {
        const [saved] = await this.roles.insert([{ workspaceId: access.workspaceId, name: dto.name, permissions: dto.permissions, builtIn: null }], manager);
        AuditContext.annotate({ targetId: saved.id, details: { name: saved.name } });
        return saved;
      });
      return this.toRoleDto(role, 0);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(dto.name);
      throw error;
    }
  }

  async update(access: WorkspaceAccess, roleId: string, dto: UpdateRoleDto): Promise<RoleDto> {
    enforceWorkspaceRule(access, WorkspaceAction.EditRole);
    const role = await this.find(access, roleId);
    if (role.builtIn) throw builtIn();
    enforceWorkspaceRuleOnTarget(access, WorkspaceAction.EditRole, {
      targetPermissions: permissionsOf(role, this.catalogue),
      granted: dto.permissions ?? [],
    });
    if (dto.name !== undefined) role.name = dto.name;
    if (dto.permissions !== undefined) role.permissions = dto.permissions;
    try {
      await auditedTransaction(this.dataSource, (manager) => this.roles.save(role, manager));
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(role.name);
      throw error;
    }
    return (await this.list(access)).find((r) => r.id === role.id)!;
  }

  async remove(access: WorkspaceAccess, roleId: string): Promise<void> {
    const role = await this.find(access, roleId);
    if (role.builtIn) throw builtIn();
    const { members, invites } = await this.roles.holders(role.id);
    if (members > 0 || invites > 0) {
      throw new RoleException(
        RoleError.InUse,
        `The role is assigned to ${members} member(s) and ${invites} pending invite(s); give them another role first`,
      );
    }
    await auditedTransaction(this.dataSource, (manager) => this.roles.delete(role.id, manager));
  }

  private async find(access: WorkspaceAccess, roleId: string): Promise<Role> {
    const role = await this.roles.findInWorkspace(access.workspaceId, roleId);
    if (!role) throw AppException.notFound('Role');
    return role;
  }

  private toRoleDto(role: Role, memberCount: number): RoleDto {
    return {
      id: role.id,
      workspaceId: role.workspaceId,
      name: role.name,
      permissions: [...permissionsOf(role, this.catalogue)],
      builtIn: role.builtIn,
      memberCount,
      createdAt: role.createdAt.toISOString(),
    };
  }
}

function builtIn(): RoleException {
  return new RoleException(RoleError.BuiltIn, 'Built-in roles cannot be changed or deleted');
}

function nameTaken(name: string): RoleException {
  return new RoleException(RoleError.NameTaken, `There is already a role called "${name}"`);
}
