import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, output, signal, untracked } from '@angular/core';
import type { FileDto, MessageChangeEvent, MessageDto } from '@parley/contracts';

import { toApiError } from '../core/http/api-error';
import { SocketService } from '../core/realtime/socket';
import { ChannelsStore } from './channels-store';
import { ChatApi } from './chat-api';
import { FileIconView } from './file-icon';
import { downloadUrl, humanSize, iconFor } from './file-view';

/** Files per page of the list. */
export const FILES_PANEL_PAGE = 30;

/**
 * The side panel listing a channel's files, newest first (GET /api/channels/:id/files), a page at
 * a time ("Load more"). Files of messages arriving while it is open go to the top; those of a
 * deleted message leave.
 */
@Component({
  selector: 'app-files-panel',
  imports: [DatePipe, FileIconView],
  template: `
    <div class="flex items-center justify-between border-b border-line px-4 py-3">
      <h2 class="text-sm font-semibold">Files</h2>
      <button type="button" class="btn btn-ghost h-8 px-2" aria-label="Close files" (click)="closed.emit()">✕</button>
    </div>
    @if (error(); as message) {
      <p role="alert" class="p-3 text-xs text-danger">{{ message }}</p>
    }
    <div class="flex-1 overflow-y-auto p-2">
      <ul class="space-y-1" aria-label="Files in this channel">
        @for (f of items(); track f.id) {
          <li class="flex items-center gap-3 rounded-md p-2 hover:bg-surface-muted" data-testid="files-item">
            @if (f.thumbnailUrl) {
              <img [src]="f.thumbnailUrl" alt="" width="40" height="40" loading="lazy" class="size-10 shrink-0 rounded-md border border-line object-cover" />
            } @else {
              <app-file-icon class="size-10" [icon]="icon(f)" />
            }
            <div class="min-w-0 flex-1">
              <p class="truncate text-sm font-medium" [title]="f.name">{{ f.name }}</p>
              <p class="truncate text-xs text-faint">
                {{ size(f.size) }} · {{ channels.displayName(f.uploaderId) }} ·
                <time [attr.datetime]="f.createdAt" [title]="f.createdAt | date: 'full'">{{ f.createdAt | date: 'MMM d, shortTime' }}</time>
              </p>
            </div>
            <a class="btn btn-ghost h-8 shrink-0 px-2 text-muted hover:text-ink" [href]="download(f.url)" [attr.download]="f.name" [attr.aria-label]="'Download ' + f.name" title="Download">
              <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
                <path d="M10.75 2.75a.75.75 0 0 0-1.5 0v8.614L6.295 8.235a.75.75 0 1 0-1.09 1.03l4.25 4.5a.75.75 0 0 0 1.09 0l4.25-4.5a.75.75 0 0 0-1.09-1.03l-2.955 3.129V2.75Z" />
                <path d="M3.5 12.75a.75.75 0 0 0-1.5 0v2.5A2.75 2.75 0 0 0 4.75 18h10.5A2.75 2.75 0 0 0 18 15.25v-2.5a.75.75 0 0 0-1.5 0v2.5c0 .69-.56 1.25-1.25 1.25H4.75c-.69 0-1.25-.56-1.25-1.25v-2.5Z" />
              </svg>
            </a>
          </li>
        } @empty {
          @if (!loading()) {
            <li class="p-2 text-sm text-muted">No files yet. Attach one with the paperclip, or drop it on the conversation.</li>
          }
        }
      </ul>
      @if (loading()) {
        <p class="p-2 text-xs text-muted" role="status">Loading files…</p>
      } @else if (nextBefore()) {
        <button type="button" class="btn btn-secondary mt-2 h-8 w-full text-xs" (click)="loadMore()">Load more</button>
      }
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'flex w-80 flex-col border-l border-line bg-surface' },
})
export class FilesPanel {
  protected readonly channels = inject(ChannelsStore);
  private readonly api = inject(ChatApi);
  readonly channelId = input.required<string>();
  readonly closed = output<void>();
  protected readonly items = signal<FileDto[]>([]);
  protected readonly nextBefore = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly size = humanSize;
  protected readonly download = downloadUrl;
  protected readonly icon = iconFor;
  /** Bumped on each (re)load, so a page that answers for an older channel is dropped. */
  private generation = 0;

  constructor() {
    effect(() => {
      const id = this.channelId();
      untracked(() => void this.load(id, null));
    });
    const socket = inject(SocketService);
    const off = [socket.on('newMessage', (message) => this.arrived(message)), socket.on('messageDeleted', (change) => this.deleted(change))];
    inject(DestroyRef).onDestroy(() => off.forEach((stop) => stop()));
  }

  protected loadMore(): void {
    const before = this.nextBefore();
    if (before) void this.load(this.channelId(), before);
  }

  private async load(channelId: string, before: string | null): Promise<void> {
    const generation = before ? this.generation : ++this.generation;
    if (!before) {
      this.items.set([]);
      this.nextBefore.set(null);
    }
    this.loading.set(true);
    this.error.set(null);
    try {
      const page = await this.api.channelFiles(channelId, { before: before ?? undefined, limit: FILES_PANEL_PAGE });
      if (generation !== this.generation) return;
      const known = new Set(this.items().map((f) => f.id));
      this.items.update((items) => [...items, ...page.items.filter((f) => !known.has(f.id))]);
      this.nextBefore.set(page.nextBefore);
    } catch (error) {
      if (generation === this.generation) this.error.set(toApiError(error).message ?? 'The files could not be loaded.');
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  private arrived(message: MessageDto): void {
    if (message.channelId !== this.channelId() || !message.files.length) return;
    const known = new Set(this.items().map((f) => f.id));
    // Newest first: the message's files, in its order, above the rest.
    this.items.update((items) => [...message.files.filter((f) => !known.has(f.id)), ...items]);
  }

  private deleted(change: MessageChangeEvent): void {
    if (change.channelId !== this.channelId()) return;
    this.items.update((items) => items.filter((f) => f.messageId !== change.message.id));
  }
}
