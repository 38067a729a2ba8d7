import { HttpEventType } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { FileErrorCode, FILES_PER_MESSAGE_MAX, type FileDto } from '@parley/contracts';
import type { Subscription } from 'rxjs';

import { type ApiError, toApiError } from '../core/http/api-error';
import { ChatApi } from './chat-api';
import { humanSize } from './file-view';

export type UploadState = 'uploading' | 'done' | 'failed';

/** One file on its way into the channel, as its chip above the composer shows it. */
export interface Upload {
  key: string;
  name: string;
  size: number;
  /** What the browser says it is (only for the chip's icon: the server detects the type from the bytes). */
  mimeType: string;
  /** 0..1 of the bytes sent (the server's answer after 1 can take a moment: thumbnails). */
  progress: number;
  state: UploadState;
  /** Why it failed, in words (from the API's coded error). */
  error: string | null;
  /** The stored file once uploaded: its id goes in `fileIds`. */
  file: FileDto | null;
  /** An image's local preview (an object URL, revoked when the chip goes). */
  preview: string | null;
}

/** What the person reads on a failed upload chip. */
export function uploadErrorText(error: ApiError): string {
  switch (error.code) {
    case FileErrorCode.TooLarge:
      return error.message ?? 'Too large to upload';
    case FileErrorCode.QuotaExceeded:
      return 'The workspace is out of file space';
    case FileErrorCode.UploadInvalid:
      return error.message ?? 'This file cannot be uploaded';
    case FileErrorCode.StorageUnavailable:
      return 'File storage is unavailable; try again';
    default:
      break;
  }
  if (error.status === 0) return 'Network error; try again';
  if (error.status === 413) return 'Too large to upload';
  if (error.status === 429) return 'Too many uploads; wait a moment';
  if (error.status === 403 || error.status === 404) return 'You cannot upload here';
  return error.message ?? `Upload failed (${error.status})`;
}

/**
 * The files one composer is attaching: each uploads at once in its own request (progress, cancel
 * with ×, retry when it failed) into the composer's channel. A message sends the uploaded ones'
 * ids in the order they were added; it waits until none is uploading or failed. At most
 * FILES_PER_MESSAGE_MAX per message. Provided per composer (the channel and the thread composer
 * each have one); what is left when it goes (a switch of channel, a closed thread) is cancelled.
 */
@Injectable()
export class UploadQueue {
  private readonly api = inject(ChatApi);
  readonly items = signal<Upload[]>([]);
  /** Said once when files are refused (too many); cleared by the next add. */
  readonly notice = signal<string | null>(null);
  readonly uploading = computed(() => this.items().some((u) => u.state === 'uploading'));
  readonly failed = computed(() => this.items().some((u) => u.state === 'failed'));
  /** Ready to go with a message: something attached, and nothing still uploading or failed. */
  readonly ready = computed(() => !this.uploading() && !this.failed());
  readonly fileIds = computed(() => this.items().flatMap((u) => (u.file ? [u.file.id] : [])));
  readonly files = computed(() => this.items().flatMap((u) => (u.file ? [u.file] : [])));
  private channelId: string | null = null;
  private place: string | null = null;
  private readonly sources = new Map<string, File>();
  private readonly requests = new Map<string, Subscription>();
  private counter = 0;

  constructor() {
    inject(DestroyRef, { optional: true })?.onDestroy(() => this.clear());
  }

  /** The channel new uploads go to, and the composer's place in it (channel or thread); a change drops what was attached for the other. */
  setChannel(channelId: string, place: string = channelId): void {
    if (this.channelId === channelId && this.place === place) return;
    this.clear();
    this.channelId = channelId;
    this.place = place;
  }

  /** Adds files (attach button, drop, paste) and starts uploading them; beyond the limit they are refused with a notice. */
  add(files: readonly File[]): void {
    this.notice.set(null);
    if (!files.length) return;
    const room = FILES_PER_MESSAGE_MAX - this.items().length;
    const taken = files.slice(0, Math.max(0, room));
    if (taken.length < files.length) {
      const refused = files.length - taken.length;
      this.notice.set(`At most ${FILES_PER_MESSAGE_MAX} files per message: ${refused} not added.`);
    }
    for (const source of taken) {
      const key = `u${++this.counter}`;
      this.sources.set(key, source);
      const preview = source.type.startsWith('image/') && typeof URL.createObjectURL === 'function' ? URL.createObjectURL(source) : null;
      this.items.update((items) => [
        ...items,
        { key, name: source.name || 'pasted file', size: source.size, mimeType: source.type, progress: 0, state: 'uploading', error: null, file: null, preview },
      ]);
      this.start(key);
    }
  }

  /** × on a chip: aborts its request (or forgets the uploaded file: it is never attached, and the server drops it later). */
  remove(key: string): void {
    this.requests.get(key)?.unsubscribe();
    this.requests.delete(key);
    this.sources.delete(key);
    const gone = this.items().find((u) => u.key === key);
    if (gone?.preview && typeof URL.revokeObjectURL === 'function') URL.revokeObjectURL(gone.preview);
    this.items.update((items) => items.filter((u) => u.key !== key));
    this.notice.set(null);
  }

  retry(key: string): void {
    const item = this.items().find((u) => u.key === key);
    if (item?.state !== 'failed') return;
    this.start(key);
  }

  /** After the message went (or the composer changes place): every chip goes, every request still running is aborted. */
  clear(): void {
    for (const item of this.items()) this.remove(item.key);
    this.notice.set(null);
  }

  private start(key: string): void {
    const source = this.sources.get(key);
    const channelId = this.channelId;
    if (!source || !channelId) return;
    this.patch(key, { state: 'uploading', progress: 0, error: null });
    if (source.size === 0) {
      this.patch(key, { state: 'failed', error: 'The file is empty' });
      return;
    }
    const request = this.api.upload(channelId, source).subscribe({
      next: (event) => {
        if (event.type === HttpEventType.UploadProgress) {
          const total = event.total ?? source.size;
          this.patch(key, { progress: total ? Math.min(1, event.loaded / total) : 0 });
        } else if (event.type === HttpEventType.Response) {
          const file = event.body?.files[0] ?? null;
          this.requests.delete(key);
          if (file) this.patch(key, { state: 'done', progress: 1, file });
          else this.patch(key, { state: 'failed', error: 'The server did not store the file' });
        }
      },
      error: (error: unknown) => {
        this.requests.delete(key);
        this.patch(key, { state: 'failed', error: uploadErrorText(toApiError(error)) });
      },
    });
    // A synchronous answer (tests) has finished already and left nothing to abort.
    if (!request.closed) this.requests.set(key, request);
  }

  private patch(key: string, changes: Partial<Upload>): void {
    this.items.update((items) => items.map((u) => (u.key === key ? { ...u, ...changes } : u)));
  }
}

/** "2.3 MB of 10 MB" while uploading. */
export function progressText(upload: Pick<Upload, 'progress' | 'size'>): string {
  return `${humanSize(upload.size * upload.progress)} of ${humanSize(upload.size)}`;
}
