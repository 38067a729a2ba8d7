import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';

import { ChannelsStore } from './channels-store';
import { MessageActions } from './message-actions';
import { MessageFiles } from './message-files';
import type { ChatMessage } from './message-groups';
import { ReactionBar } from './reaction-bar';

/**
 * What goes under a message's text: its files, the quote of a forwarded message, the "Pinned" marker, and
 * the reactions. Nothing for a message that has none of them.
 */
@Component({
  selector: 'app-message-extras',
  imports: [DatePipe, MessageFiles, ReactionBar],
  template: `
    @let m = message();
    @if (m.files.length && !m.deletedAt) {
      <app-message-files [files]="m.files" />
    }
    @if (m.forwardedFrom; as f) {
      <figure class="mt-1 max-w-xl border-l-4 border-line-strong py-0.5 pl-3" data-testid="forwarded">
        <figcaption class="text-xs text-muted">
          <span class="font-semibold text-ink">{{ channels.displayName(f.senderId) }}</span><span> in {{ sourceLabel() }} · </span><time [attr.datetime]="f.createdAt" [title]="f.createdAt | date: 'full'">{{ f.createdAt | date: 'medium' }}</time>
        </figcaption>
        <blockquote class="text-sm break-words whitespace-pre-wrap">{{ f.text }}</blockquote>
        <p class="text-xs text-faint">Forwarded</p>
      </figure>
    }
    @if (m.pinnedAt && !m.deletedAt) {
      <p class="mt-0.5 inline-flex items-center gap-1 text-xs font-medium text-amber-700 dark:text-amber-400" data-testid="pinned-marker">
        <svg class="size-3" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path d="M7 3h6l-1 5 3 3H5l3-3-1-5Zm2.25 8h1.5v6h-1.5z" /></svg>
        Pinned{{ m.pinnedBy ? ' by ' + channels.displayName(m.pinnedBy) : '' }}
      </p>
    }
    @if (m.reactions.length && !m.deletedAt) {
      <app-reaction-bar [message]="m" [disabled]="archived() || m.state !== 'sent'" (toggle)="toggle($event.emoji, $event.add)" />
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class MessageExtras {
  protected readonly channels = inject(ChannelsStore);
  private readonly actions = inject(MessageActions);
  readonly message = input.required<ChatMessage>();
  readonly archived = input(false);

  protected readonly sourceLabel = computed(() => {
    const source = this.message().forwardedFrom;
    const channel = source ? this.channels.find(source.channelId) : undefined;
    if (!channel) return 'another conversation';
    return channel.type === 'public' || channel.type === 'private' ? `#${channel.name}` : this.channels.channelLabel(channel);
  });

  protected async toggle(emoji: string, add: boolean): Promise<void> {
    try {
      await this.actions.toggleReaction(this.message(), emoji, add);
    } catch (error) {
      this.actions.sayFailed('The reaction could not be changed', error);
    }
  }
}
