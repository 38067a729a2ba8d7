import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { activeMember } from '../access/membership.sql';
import { User } from './entities/user.entity';

/** The accounts: the only place that queries `users`. */
@Injectable()
export class UserRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findByEmail(email: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOne({ where: { email } });
  }

  async findById(id: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOne({ where: { id } });
  }

  /** Creates the account of the email unless it has one already (two first sign-ins at once make one). */
  async insertIfAbsent(email: string, displayName: string): Promise<void> {
    await this.dataSource.getRepository(User).createQueryBuilder().insert().values({ email, displayName }).orIgnore().execute();
  }

  async save(user: User, manager: EntityManager = this.dataSource.manager): Promise<User> {
    return manager.getRepository(User).save(user);
  }

  /**
   * People who share an active workspace with `userId` and whose name (or a word of it) or
   * email starts with `prefix`, by name. The membership joins stay here until they move to the
   * membership repository.
   */
  async findContacts(userId: string, prefix: string, limit: number): Promise<User[]> {
    const pattern = `${prefix
      .trim()
      .toLowerCase()
      .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .where(
        // A guest finds, in that workspace, only the people who share a channel with them.
        `EXISTS (SELECT 1 FROM workspace_members mine
                   JOIN roles r ON r.id = mine.role_id
                   JOIN workspace_members theirs ON theirs.workspace_id = mine.workspace_id AND theirs.user_id = u.id
                   JOIN workspaces w ON w.id = mine.workspace_id AND w.deleted_at IS NULL
                  WHERE mine.user_id = :userId AND ${activeMember('mine')} AND ${activeMember('theirs')}
                    AND (r.built_in IS DISTINCT FROM 'guest' OR theirs.user_id = mine.user_id OR EXISTS (
                          SELECT 1 FROM channel_members cm_mine
                            JOIN channel_members cm_theirs ON cm_theirs.channel_id = cm_mine.channel_id AND cm_theirs.user_id = u.id
                            JOIN channels c ON c.id = cm_mine.channel_id AND c.workspace_id = mine.workspace_id
                           WHERE cm_mine.user_id = :userId)))`,
        { userId },
      )
      .andWhere(`(lower(u.display_name) LIKE :pattern OR u.email LIKE :pattern OR lower(u.display_name) LIKE :word)`, {
        pattern,
        word: `% ${pattern}`,
      })
      .orderBy('lower(u.display_name)')
      .limit(limit)
      .getMany();
  }
}
