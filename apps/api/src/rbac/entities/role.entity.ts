import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { BuiltInRole } from '@parley/contracts';
import { Workspace } from '@api/workspaces/entities/workspace.entity';

@Entity('roles')
@Index(['workspaceId', 'name'], { unique: true })
// Built-in roles store nothing: what they may do is the catalogue's (see permissions below).
@Check('CHK_roles_built_in_store_nothing', `"built_in" IS NULL OR "permissions" = '{}'`)
export class Role {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  workspaceId!: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Workspace;

  @Column({ type: 'varchar', length: 40 })
  name!: string;

  /**
   * A custom role's permissions. Built-in roles store none: theirs come from the catalogue of
   * the running version at access time (permissionsOf), so a new permission reaches them without
   * a data change. Names, not Permissions: a name a later version withdraws grants nothing.
   */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  permissions!: string[];

  @Column({ type: 'varchar', length: 16, nullable: true })
  builtIn!: BuiltInRole | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
