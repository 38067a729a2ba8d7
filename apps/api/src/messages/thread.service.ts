import { Injectable } from '@nestjs/common';
import { HISTORY_PAGE_MAX, MessagePage, ReplyPageQuery, ThreadDto, ThreadFollowState } from '@parley/contracts';
import { MessageAction } from '@api/access/access.rules';
import { AccessService, Actor } from '@api/access/access.service';
import { WorkspaceAccess } from '@api/access/workspace-access';
import { AppException } from '@api/common/app-exception';
import { RateLimitService } from '@api/rate-limit/rate-limit.service';
import { TokenBucketLimiter } from '@api/rate-limit/token-buckets';
import { toMessageDto } from './message-mapper';
import { ThreadFollowRow, ThreadRepository, ThreadRow } from './thread.repository';

/** Follows and thread read marks per person: as channel read marks, a burst for opening a few threads at once, then a steady rate. */
const THREAD_MARK_BURST = 30;
const THREAD_MARKS_PER_SECOND = 10;
/** How many followed threads the threads list shows. */
const THREADS_LISTED = 50;

/**
 * Threads: paging a thread's replies, following it, the read position in it, and the list of
 * threads a person follows. Replies themselves are sends (MessagesService), which also count
 * them on their root and make their repliers follow it.
 */
@Injectable()
export class ThreadService {
  private readonly markLimit: TokenBucketLimiter;

  constructor(
    private readonly threads: ThreadRepository,
    private readonly access: AccessService,
    rateLimits: RateLimitService,
  ) {
    this.markLimit = rateLimits.tokenBuckets('thread', { burst: THREAD_MARK_BURST, perSecond: THREAD_MARKS_PER_SECOND });
  }

  /** A page of the thread's replies in ascending seq, after `after` (from the first); `hasMore`: more after it. */
  async replies(actor: Actor, rootId: string, query: ReplyPageQuery): Promise<MessagePage> {
    await this.access.requireMessage(actor, rootId, MessageAction.ReadReplies);
    const limit = Math.min(query.limit ?? 50, HISTORY_PAGE_MAX);
    const rows = await this.threads.findReplies(rootId, query.after ?? 0, limit + 1, actor.userId);
    return { items: rows.slice(0, limit).map(toMessageDto), hasMore: rows.length > limit };
  }

  /** Follows (true) or unfollows the thread; the read position is kept either way. */
  async setFollowing(actor: Actor, rootId: string, following: boolean): Promise<ThreadFollowState> {
    await this.limit(actor);
    await this.access.requireMessage(actor, rootId, MessageAction.FollowThread);
    return toThreadFollowState(rootId, await this.threads.setFollowing(rootId, actor.userId, following));
  }

  /** Moves the read position in the thread forward (never back, never past its newest reply). */
  async markRead(actor: Actor, rootId: string, seq: number): Promise<ThreadFollowState> {
    await this.limit(actor);
    await this.access.requireMessage(actor, rootId, MessageAction.FollowThread);
    return toThreadFollowState(rootId, await this.threads.markRead(rootId, actor.userId, seq));
  }

  /** The threads the caller follows in the workspace's channels they may still read, newest activity first. */
  async followed(access: WorkspaceAccess): Promise<ThreadDto[]> {
    return (await this.threads.findFollowed(access.userId, access.workspaceId, THREADS_LISTED)).map(toThreadDto);
  }

  /** Each follow and read mark writes a row: a client in a loop is slowed down. */
  private async limit(actor: Actor): Promise<void> {
    const wait = await this.markLimit.take(actor.userId);
    if (wait) throw AppException.rateLimited(wait, `You are following or marking threads read too fast; try again in ${wait} s`);
  }
}

function toThreadFollowState(rootId: string, row: ThreadFollowRow): ThreadFollowState {
  return { rootId, following: row.following, lastReadSeq: Number(row.last_read_seq), unreadReplies: Number(row.unread_replies) };
}

function toThreadDto(row: ThreadRow): ThreadDto {
  return { root: toMessageDto(row), unreadReplies: Number(row.unread_replies), following: row.following, lastReadSeq: Number(row.last_read_seq) };
}
