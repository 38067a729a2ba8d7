import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BuiltInRole } from '@parley/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { Role } from './entities/role.entity';

export type NewRole = Pick<Role, 'workspaceId' | 'name' | 'permissions' | 'builtIn'>;

/** The roles of workspaces: the only place that queries `roles`. */
@Injectable()
export class RoleRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The workspace's roles, oldest first. */
  async listInWorkspace(workspaceId: string): Promise<Role[]> {
    return this.dataSource.getRepository(Role).find({ where: { workspaceId }, order: { createdAt: 'ASC' } });
  }

  /** Role `roleId` if it belongs to the workspace, else null. */
  async findInWorkspace(
    workspaceId: string,
    roleId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Role | null> {
    return manager.getRepository(Role).findOneBy({ id: roleId, workspaceId });
  }

  async findBuiltIn(workspaceId: string, builtIn: BuiltInRole): Promise<Role | null> {
    return this.dataSource.getRepository(Role).findOneBy({ workspaceId, builtIn });
  }

  async insert(roles: NewRole[], manager: EntityManager = this.dataSource.manager): Promise<Role[]> {
    return manager.getRepository(Role).save(roles);
  }

  async save(role: Role, manager: EntityManager = this.dataSource.manager): Promise<Role> {
    return manager.getRepository(Role).save(role);
  }

  async delete(roleId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(Role).delete({ id: roleId });
  }

  /**
   * Who still holds the role: members (active or not) and pending invites. One read of the two
   * tables that refer to a role, the question being the role's (may it go?).
   */
  async holders(roleId: string): Promise<{ members: number; invites: number }> {
    const [row]: { members: number; invites: number }[] = await this.dataSource.query(
      `SELECT (SELECT count(*)::int FROM workspace_members WHERE role_id = $1) AS members,
              (SELECT count(*)::int FROM invites WHERE role_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()) AS invites`,
      [roleId],
    );
    return row;
  }
}
