import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { FileIconView } from './file-icon';
import { humanSize, iconFor } from './file-view';
import { progressText, type Upload, UploadQueue } from './upload-queue';

/** The files being attached, above the composer's box: name, size, progress (or why it failed), × and Retry. */
@Component({
  selector: 'app-upload-chips',
  imports: [FileIconView],
  template: `
    @let q = queue();
    @if (q.items().length) {
      <ul class="mb-2 flex flex-wrap gap-2" aria-label="Attachments">
        @for (u of q.items(); track u.key) {
          <li
            class="relative flex w-60 items-center gap-2 overflow-hidden rounded-lg border bg-surface p-1.5 pr-7"
            [class.border-line-strong]="u.state !== 'failed'"
            [class.border-danger-line]="u.state === 'failed'"
            [class.bg-danger-soft]="u.state === 'failed'"
            data-testid="upload-chip"
            [attr.data-state]="u.state"
          >
            @if (u.preview) {
              <img [src]="u.preview" alt="" class="size-10 shrink-0 rounded-md object-cover" />
            } @else {
              <app-file-icon class="size-10" [icon]="icon(u)" />
            }
            <div class="min-w-0 flex-1">
              <p class="truncate text-xs font-medium" [title]="u.name">{{ u.name }}</p>
              @switch (u.state) {
                @case ('uploading') {
                  <div
                    class="mt-1 h-1.5 overflow-hidden rounded-full bg-surface-muted"
                    role="progressbar"
                    [attr.aria-label]="'Uploading ' + u.name"
                    aria-valuemin="0"
                    aria-valuemax="100"
                    [attr.aria-valuenow]="percent(u)"
                    [attr.aria-valuetext]="progress(u)"
                  >
                    <div class="h-full rounded-full bg-brand-500 transition-[width] duration-200" [style.width.%]="percent(u)"></div>
                  </div>
                  <p class="mt-0.5 truncate text-[11px] text-faint">{{ percent(u) === 100 ? 'Processing…' : progress(u) }}</p>
                }
                @case ('failed') {
                  <p class="flex items-center gap-2 text-[11px]">
                    <span class="truncate text-danger" role="alert" data-testid="upload-error">{{ u.error }}</span>
                    <button type="button" class="shrink-0 font-semibold text-brand-600 underline" [attr.aria-label]="'Retry uploading ' + u.name" (click)="q.retry(u.key)">
                      Retry
                    </button>
                  </p>
                }
                @default {
                  <p class="text-[11px] text-faint">{{ size(u.size) }}</p>
                }
              }
            </div>
            <button
              type="button"
              class="absolute top-1 right-1 flex size-5 items-center justify-center rounded-full text-muted hover:bg-surface-muted hover:text-ink"
              [attr.aria-label]="(u.state === 'uploading' ? 'Cancel uploading ' : 'Remove ') + u.name"
              [title]="u.state === 'uploading' ? 'Cancel' : 'Remove'"
              (click)="q.remove(u.key)"
            >
              <svg class="size-3.5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
                <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
              </svg>
            </button>
          </li>
        }
      </ul>
    }
    @if (q.notice(); as notice) {
      <p role="status" class="mb-2 text-xs text-danger">{{ notice }}</p>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class UploadChips {
  readonly queue = input.required<UploadQueue>();
  protected readonly size = humanSize;
  protected readonly progress = progressText;

  protected percent(upload: Upload): number {
    return Math.round(upload.progress * 100);
  }

  protected icon(upload: Upload) {
    return iconFor({ name: upload.name, mimeType: upload.mimeType, kind: 'file' });
  }
}
