import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';

import { ChannelsStore } from './channels-store';
import type { ChatMessage } from './message-groups';
import { readByLabel, readersOf, ReadReceiptsStore, seenLabel } from './read-receipts';

/** Names for user ids, in alphabetical order (a stable line as positions move). */
function namesOf(channels: ChannelsStore, userIds: readonly string[]): string[] {
  return userIds.map((id) => channels.displayName(id)).sort((a, b) => a.localeCompare(b));
}

/** In a DM or group DM, under the newest of your messages someone has read: "Seen" / "Seen by Ana, Bruno". */
@Component({
  selector: 'app-seen-line',
  template: `
    @if (label(); as text) {
      <p class="mt-0.5 text-xs text-faint" data-testid="seen">{{ text }}</p>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class SeenLine {
  private readonly receipts = inject(ReadReceiptsStore);
  private readonly channels = inject(ChannelsStore);
  readonly message = input.required<ChatMessage>();

  protected readonly label = computed(() => {
    const shown = this.receipts.receipts();
    if (shown?.channelId !== this.message().channelId) return null;
    const readers = this.receipts.seen().get(this.message().seq);
    return readers?.length ? seenLabel(shown.kind, namesOf(this.channels, readers)) : null;
  });
}

/**
 * In a channel of at most READ_RECEIPTS_MAX_MEMBERS members, in the message's actions bar (on
 * hover and keyboard focus): how many have read it, and who in the tooltip and accessible name.
 */
@Component({
  selector: 'app-read-by',
  template: `
    @if (label(); as text) {
      <span class="inline-flex h-7 items-center gap-1 px-1.5 text-xs text-muted" role="img" tabindex="0" [attr.aria-label]="text" [title]="text" data-testid="read-by">
        <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
          <path d="M10 4C5.5 4 2.2 7.1 1 10c1.2 2.9 4.5 6 9 6s7.8-3.1 9-6c-1.2-2.9-4.5-6-9-6Zm0 9.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7Zm0-2a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3Z" />
        </svg>
        {{ count() }}
      </span>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'contents' },
})
export class ReadBy {
  private readonly receipts = inject(ReadReceiptsStore);
  private readonly channels = inject(ChannelsStore);
  readonly message = input.required<ChatMessage>();

  private readonly readers = computed(() => {
    const shown = this.receipts.receipts();
    return shown?.kind === 'channel' && shown.channelId === this.message().channelId ? readersOf(this.message(), shown.positions) : [];
  });
  protected readonly count = computed(() => this.readers().length);
  protected readonly label = computed(() => (this.count() ? readByLabel(namesOf(this.channels, this.readers())) : null));
}
