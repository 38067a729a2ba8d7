import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UserUpdatedEvent } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { auditedTransaction } from '../audit/audited-transaction';
import { AppException } from '../common/app-exception';
import { EventBus } from '../events/event-bus';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { TokenBucketLimiter } from '../rate-limit/token-buckets';
import { UpdateMeDto } from './dto/update-me.dto';
import { User } from './entities/user.entity';
import { UserRepository } from './user.repository';

/** Profile changes per person: a burst, then one a second (each one reaches everyone who sees them). */
const PROFILE_CHANGE_BURST = 30;
const PROFILE_CHANGES_PER_SECOND = 1;

@Injectable()
export class UsersService {
  private readonly profileLimit: TokenBucketLimiter;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UserRepository,
    private readonly events: EventBus,
    rateLimits: RateLimitService,
  ) {
    this.profileLimit = rateLimits.tokenBuckets('profile', {
      burst: PROFILE_CHANGE_BURST,
      perSecond: PROFILE_CHANGES_PER_SECOND,
    });
  }

  /**
   * PATCH /api/users/me: limited per person, as a rename goes out to every member of their
   * workspaces (userUpdated) and a loop of them would make the server shout at all of them.
   */
  async updateMe(id: string, changes: UpdateMeDto): Promise<User> {
    const wait = await this.profileLimit.take(id);
    if (wait) throw AppException.rateLimited(wait, `You are changing your profile too often; try again in ${wait} s`);
    const before = changes.avatarUrl === null ? (await this.get(id)).avatarUrl : null;
    const user = await this.update(id, changes);
    // The picture's bytes go too (the avatar service keeps them: see AvatarService.onDropped).
    if (before && !user.avatarUrl) void this.events.emit('user.avatar.dropped', { userId: id, avatarUrl: before });
    return user;
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findByEmail(email);
  }

  async get(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw AppException.notFound('User');
    return user;
  }

  /** The account is made on the first successful sign-in of an email. */
  async findOrCreate(email: string, displayName: string | null): Promise<User> {
    await this.users.insertIfAbsent(email, displayName ?? email.split('@')[0].slice(0, 80));
    return (await this.findByEmail(email))!;
  }

  /** People who share an active workspace with the caller, by name or email prefix; never anyone else. */
  async searchContacts(userId: string, query: string, limit = 20): Promise<User[]> {
    return this.users.findContacts(userId, query, limit);
  }

  /** What a person's profile may be changed by: PATCH /api/users/me, and the picture upload's own address. */
  async update(id: string, changes: Omit<UpdateMeDto, 'avatarUrl'> & { avatarUrl?: string | null }): Promise<User> {
    const user = await this.get(id);
    const before = { displayName: user.displayName, avatarUrl: user.avatarUrl, statusText: user.statusText };
    if (changes.displayName !== undefined) user.displayName = changes.displayName;
    if (changes.avatarUrl !== undefined) user.avatarUrl = changes.avatarUrl;
    if (changes.statusText !== undefined) user.statusText = changes.statusText || null;
    const withdrawn = changes.readReceipts === false && user.readReceipts;
    if (changes.readReceipts !== undefined) user.readReceipts = changes.readReceipts;
    const saved = await auditedTransaction(this.dataSource, (manager) => this.users.save(user, manager));
    // Names and pictures change on every screen that shows them, not on the next load.
    const profile: UserUpdatedEvent = {
      userId: id,
      displayName: saved.displayName,
      avatarUrl: saved.avatarUrl,
      statusText: saved.statusText,
    };
    if (
      profile.displayName !== before.displayName ||
      profile.avatarUrl !== before.avatarUrl ||
      profile.statusText !== before.statusText
    ) {
      void this.events.emit('user.profile.changed', profile);
    }
    // Their "Seen" goes from the screens that show it now, not only on the next load.
    if (withdrawn) void this.events.emit('user.read-receipts.withdrawn', { userId: id });
    return saved;
  }
}
