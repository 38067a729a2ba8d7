import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { auditedTransaction } from '../audit/audited-transaction';
import { AppException } from '../common/app-exception';
import { UpdateMeDto } from './dto/update-me.dto';
import { User } from './entities/user.entity';

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOne({ where: { email } });
  }

  async get(id: string): Promise<User> {
    const user = await this.users.findOne({ where: { id } });
    if (!user) throw AppException.notFound('User');
    return user;
  }

  /** The account is made on the first successful sign-in of an email. */
  async findOrCreate(email: string, displayName: string | null): Promise<User> {
    await this.users
      .createQueryBuilder()
      .insert()
      .values({ email, displayName: displayName ?? email.split('@')[0].slice(0, 80) })
      .orIgnore()
      .execute();
    return (await this.findByEmail(email))!;
  }

  /** People who share an active workspace with the caller, by name or email prefix; never anyone else. */
  async searchContacts(userId: string, query: string, limit = 20): Promise<User[]> {
    const pattern = `${query.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.users
      .createQueryBuilder('u')
      .where(
        // A guest finds, in that workspace, only the people who share a channel with them.
        `EXISTS (SELECT 1 FROM workspace_members mine
                   JOIN roles r ON r.id = mine.role_id
                   JOIN workspace_members theirs ON theirs.workspace_id = mine.workspace_id AND theirs.user_id = u.id
                   JOIN workspaces w ON w.id = mine.workspace_id AND w.deleted_at IS NULL
                  WHERE mine.user_id = :userId AND mine.deactivated_at IS NULL AND theirs.deactivated_at IS NULL
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

  async update(id: string, changes: UpdateMeDto): Promise<User> {
    const user = await this.get(id);
    if (changes.displayName !== undefined) user.displayName = changes.displayName;
    if (changes.avatarUrl !== undefined) user.avatarUrl = changes.avatarUrl;
    if (changes.statusText !== undefined) user.statusText = changes.statusText || null;
    return auditedTransaction(this.users.manager.connection, (manager) => manager.getRepository(User).save(user));
  }
}
