import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { BuiltInRole, Permission } from '@parley/contracts';
import { Workspace } from '../../workspaces/entities/workspace.entity';

@Entity('roles')
@Index(['workspaceId', 'name'], { unique: true })
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

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  permissions!: Permission[];

  @Column({ type: 'varchar', length: 16, nullable: true })
  builtIn!: BuiltInRole | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
