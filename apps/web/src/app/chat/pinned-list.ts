import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, Injectable, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import type { MessageChangeEvent, MessageDto } from '@parley/contracts';

import { toApiError } from '../core/http/api-error';
import { SocketService } from '../core/realtime/socket';
import { ChannelsStore } from './channels-store';
import { ChatApi } from './chat-api';

/**
 * Each channel's pinned messages, newest pin first: loaded with GET pins when the channel opens
 * and when the list opens (which also catches up on what was missed while offline), and kept
 * current from the live pinned/unpinned events (an edit or delete of a pinned message too).
 */
@Injectable({ providedIn: 'root' })
export class PinsStore {
  private readonly api = inject(ChatApi);
  /** Pins per channel; a channel not loaded is absent. */
  readonly pins = signal<Record<string, MessageDto[]>>({});

  constructor() {
    const socket = inject(SocketService);
    socket.on('messageUpdated', (change) => this.apply(change));
    socket.on('messageDeleted', (change) => this.apply(change));
  }

  async load(channelId: string): Promise<void> {
    const list = await this.api.pins(channelId);
    this.pins.update((all) => ({ ...all, [channelId]: list }));
  }

  /** A change to a message of a channel loaded: pinned goes to the top, unpinned or deleted leaves, an edit shows. */
  apply(change: MessageChangeEvent): void {
    const list = this.pins()[change.channelId];
    if (!list) return;
    const message = change.message;
    const rest = list.filter((m) => m.id !== message.id);
    let next: MessageDto[];
    if (change.kind === 'pinned' && message.pinnedAt) next = [message, ...rest];
    else if (!message.pinnedAt || message.deletedAt) next = rest;
    else next = list.map((m) => (m.id === message.id ? message : m));
    this.pins.update((all) => ({ ...all, [change.channelId]: next }));
  }
}

/** The side panel listing a channel's pinned messages; choosing one shows it in the log. */
@Component({
  selector: 'app-pinned-list',
  imports: [DatePipe],
  template: `
    <div class="flex items-center justify-between border-b border-line px-4 py-3">
      <h2 class="text-sm font-semibold">Pinned <span class="font-normal text-muted">({{ list().length }})</span></h2>
      <button type="button" class="btn btn-ghost h-8 px-2" aria-label="Close pinned messages" (click)="closed.emit()">✕</button>
    </div>
    @if (error(); as message) {
      <p role="alert" class="p-3 text-xs text-danger">{{ message }}</p>
    }
    <ul class="flex-1 space-y-2 overflow-y-auto p-3" aria-label="Pinned messages">
      @for (m of list(); track m.id) {
        <li>
          <button
            type="button"
            class="w-full rounded-md border border-line p-2 text-left hover:bg-surface-muted"
            data-testid="pinned-item"
            (click)="jump.emit(m)"
          >
            <span class="flex items-baseline gap-2 text-xs">
              <span class="font-semibold">{{ channels.displayName(m.senderId) }}</span>
              <time class="text-faint" [attr.datetime]="m.createdAt">{{ m.createdAt | date: 'MMM d, shortTime' }}</time>
            </span>
            <span class="mt-0.5 line-clamp-3 block text-sm break-words whitespace-pre-wrap">{{ channels.plainText(m.text) }}</span>
          </button>
        </li>
      } @empty {
        <li class="text-sm text-muted">No pinned messages yet. Pin one from its toolbar to keep it here for everyone.</li>
      }
    </ul>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'flex w-80 flex-col border-l border-line bg-surface' },
})
export class PinnedList {
  protected readonly channels = inject(ChannelsStore);
  private readonly pins = inject(PinsStore);
  readonly channelId = input.required<string>();
  readonly closed = output<void>();
  readonly jump = output<MessageDto>();
  protected readonly error = signal<string | null>(null);
  protected readonly list = computed(() => this.pins.pins()[this.channelId()] ?? []);

  constructor() {
    // Fetched again on opening: the live events keep it current only while connected.
    effect(() => {
      const id = this.channelId();
      untracked(() => {
        this.error.set(null);
        this.pins.load(id).catch((error: unknown) => this.error.set(toApiError(error).message ?? 'The pinned messages could not be loaded.'));
      });
    });
  }
}
