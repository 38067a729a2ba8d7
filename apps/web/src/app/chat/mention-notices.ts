import { ChangeDetectionStrategy, Component, Injectable, computed, inject, input, signal } from '@angular/core';
import type { BroadcastMention, SentMessage } from '@parley/contracts';

import { toApiError } from '../core/http/api-error';
import { ChannelsStore } from './channels-store';
import { ChatApi } from './chat-api';

/** Which composer a send came from: a channel's, or a thread's (drafts and notices are kept per composer). */
export function composerKey(channelId: string, threadRootId: string | null): string {
  return threadRootId ? `thread:${threadRootId}` : channelId;
}

/** What the sender is told under the composer after a send, about its mentions. */
export interface MentionNotice {
  channelId: string;
  /** People it mentions who are not in the channel (not notified): offered to be added. */
  nonMembers: string[];
  broadcastRefused: BroadcastMention | null;
  /** Adding is on its way. */
  busy: boolean;
  /** Why adding failed, or null. */
  error: string | null;
}

/**
 * The notices after one's own sends (the ack's SentMessage), per composer: "Ana is not in #x. Add
 * them?" (Slack's offer) and "@channel was not sent to everyone". One per composer, the newest.
 */
@Injectable({ providedIn: 'root' })
export class MentionNotices {
  private readonly api = inject(ChatApi);
  readonly notices = signal<Record<string, MentionNotice>>({});

  /** The answer to a send: a notice when it has something to say. */
  noteSent(sent: SentMessage): void {
    const nonMembers = sent.mentionedNonMembers ?? [];
    const broadcastRefused = sent.broadcastRefused ?? null;
    if (!nonMembers.length && !broadcastRefused) return;
    const key = composerKey(sent.channelId, sent.threadRootId);
    this.notices.update((all) => ({ ...all, [key]: { channelId: sent.channelId, nonMembers, broadcastRefused, busy: false, error: null } }));
  }

  dismiss(key: string): void {
    this.notices.update((all) => Object.fromEntries(Object.entries(all).filter(([k]) => k !== key)));
  }

  /** Adds the people named to the channel; the notice goes once they are in. */
  async addMembers(key: string): Promise<void> {
    const notice = this.notices()[key];
    if (!notice || notice.busy) return;
    this.patch(key, { busy: true, error: null });
    try {
      await this.api.addMembers(notice.channelId, notice.nonMembers);
      this.dismiss(key);
    } catch (error) {
      const { status } = toApiError(error);
      this.patch(key, {
        busy: false,
        error: status === 403 ? 'You may not add people to this channel.' : 'They could not be added. Try again.',
      });
    }
  }

  private patch(key: string, change: Partial<MentionNotice>): void {
    this.notices.update((all) => (all[key] ? { ...all, [key]: { ...all[key], ...change } } : all));
  }
}

/** The notice under a composer (nothing when there is none). */
@Component({
  selector: 'app-mention-notice',
  template: `
    @if (notice(); as n) {
      <div role="status" class="mt-2 rounded-md border border-line bg-surface-muted px-3 py-2 text-xs" data-testid="mention-notice">
        @if (n.nonMembers.length) {
          <p>
            {{ names() }} {{ n.nonMembers.length === 1 ? 'is' : 'are' }} not in {{ channelName() }} and {{ n.nonMembers.length === 1 ? 'was' : 'were' }} not
            notified. Add {{ n.nonMembers.length === 1 ? 'them' : 'them all' }}?
          </p>
        }
        @if (n.broadcastRefused) {
          <p>&#64;{{ n.broadcastRefused }} was not sent to everyone: your workspace does not allow it.</p>
        }
        @if (n.error) {
          <p role="alert" class="mt-1 text-danger">{{ n.error }}</p>
        }
        <div class="mt-1.5 flex gap-2">
          @if (n.nonMembers.length) {
            <button type="button" class="btn btn-primary h-7 px-2 text-xs" [disabled]="n.busy" (click)="notices.addMembers(key())">Add</button>
          }
          <button type="button" class="btn btn-secondary h-7 px-2 text-xs" (click)="notices.dismiss(key())">Dismiss</button>
        </div>
      </div>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MentionNoticeBar {
  protected readonly notices = inject(MentionNotices);
  private readonly channels = inject(ChannelsStore);
  /** The composer's key (composerKey). */
  readonly key = input.required<string>();

  protected readonly notice = computed(() => this.notices.notices()[this.key()] ?? null);
  protected readonly names = computed(() => {
    const people = (this.notice()?.nonMembers ?? []).map((id) => this.channels.displayName(id));
    return people.length > 1 ? `${people.slice(0, -1).join(', ')} and ${people[people.length - 1]}` : (people[0] ?? '');
  });
  protected readonly channelName = computed(() => {
    const channel = this.channels.find(this.notice()?.channelId ?? '');
    return channel?.name ? `#${channel.name}` : 'this conversation';
  });
}
