import { Dialog } from '@angular/cdk/dialog';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { FileDto } from '@parley/contracts';

import { FileIconView } from './file-icon';
import { FileLightbox, type LightboxData } from './file-lightbox';
import { downloadUrl, fitBox, humanSize, iconFor, rendererFor, typeLabel } from './file-view';

/** An inline image's largest box in the log (px); its thumbnail is 360 on the long side. */
const IMAGE_MAX_WIDTH = 360;
const IMAGE_MAX_HEIGHT = 240;

/**
 * A message's files, under its text: images inline as thumbnails (their box reserved from
 * width/height, so the log does not jump as they load; click → the lightbox), video and audio
 * as players, anything else as a card with a download link. The bytes come from
 * `/api/files/:id/content`, authenticated by the files cookie (same origin, no header needed).
 */
@Component({
  selector: 'app-message-files',
  imports: [FileIconView],
  template: `
    @if (images().length) {
      <div class="mt-1 flex flex-wrap gap-2" data-testid="message-images">
        @for (f of images(); track f.id; let i = $index) {
          <button
            type="button"
            class="group/img relative block overflow-hidden rounded-lg border border-line bg-surface-muted focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
            [style.width.px]="box(f).width"
            [style.height.px]="box(f).height"
            [attr.aria-label]="'Open image ' + f.name"
            (click)="open(i)"
          >
            <img
              [src]="f.thumbnailUrl"
              [alt]="f.name"
              [width]="box(f).width"
              [height]="box(f).height"
              loading="lazy"
              decoding="async"
              class="size-full object-cover transition-opacity group-hover/img:opacity-90"
              data-testid="file-thumbnail"
            />
          </button>
        }
      </div>
    }
    @for (f of players(); track f.id) {
      <figure class="mt-1 max-w-md" data-testid="file-player">
        @if (renderer(f) === 'video') {
          <video controls preload="metadata" class="max-h-80 w-full rounded-lg border border-line bg-black" [src]="f.url" [attr.aria-label]="f.name"></video>
        } @else {
          <audio controls preload="metadata" class="w-full" [src]="f.url" [attr.aria-label]="f.name"></audio>
        }
        <figcaption class="mt-0.5 flex items-center gap-2 text-xs text-muted">
          <span class="truncate">{{ f.name }}</span><span class="shrink-0 text-faint">{{ size(f.size) }}</span>
          <a class="shrink-0 font-medium text-brand-600 hover:underline dark:text-brand-400" [href]="download(f.url)" [attr.download]="f.name" [attr.aria-label]="'Download ' + f.name">Download</a>
        </figcaption>
      </figure>
    }
    @if (cards().length) {
      <ul class="mt-1 flex flex-wrap gap-2" aria-label="Attached files">
        @for (f of cards(); track f.id) {
          <li class="flex w-72 max-w-full items-center gap-3 rounded-lg border border-line bg-surface p-2 shadow-xs" data-testid="file-card">
            <app-file-icon class="size-10" [icon]="icon(f)" />
            <div class="min-w-0 flex-1">
              <p class="truncate text-sm font-medium" [title]="f.name">{{ f.name }}</p>
              <p class="text-xs text-faint">{{ label(f) }} · {{ size(f.size) }}</p>
            </div>
            <a
              class="btn btn-ghost h-8 shrink-0 px-2 text-muted hover:text-ink"
              [href]="download(f.url)"
              [attr.download]="f.name"
              [attr.aria-label]="'Download ' + f.name"
              title="Download"
              data-testid="file-download"
            >
              <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
                <path d="M10.75 2.75a.75.75 0 0 0-1.5 0v8.614L6.295 8.235a.75.75 0 1 0-1.09 1.03l4.25 4.5a.75.75 0 0 0 1.09 0l4.25-4.5a.75.75 0 0 0-1.09-1.03l-2.955 3.129V2.75Z" />
                <path d="M3.5 12.75a.75.75 0 0 0-1.5 0v2.5A2.75 2.75 0 0 0 4.75 18h10.5A2.75 2.75 0 0 0 18 15.25v-2.5a.75.75 0 0 0-1.5 0v2.5c0 .69-.56 1.25-1.25 1.25H4.75c-.69 0-1.25-.56-1.25-1.25v-2.5Z" />
              </svg>
            </a>
          </li>
        }
      </ul>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class MessageFiles {
  private readonly dialog = inject(Dialog);
  readonly files = input.required<readonly FileDto[]>();
  protected readonly images = computed(() => this.files().filter((f) => rendererFor(f) === 'image'));
  protected readonly players = computed(() => this.files().filter((f) => rendererFor(f) === 'video' || rendererFor(f) === 'audio'));
  protected readonly cards = computed(() => this.files().filter((f) => rendererFor(f) === 'card'));
  protected readonly size = humanSize;
  protected readonly download = downloadUrl;
  protected readonly renderer = rendererFor;
  protected readonly icon = iconFor;
  protected readonly label = typeLabel;

  protected box(file: FileDto): { width: number; height: number } {
    return fitBox(file.width, file.height, IMAGE_MAX_WIDTH, IMAGE_MAX_HEIGHT);
  }

  protected open(index: number): void {
    this.dialog.open<void, LightboxData>(FileLightbox, {
      data: { images: this.images(), index },
      ariaLabel: `Image viewer: ${this.images()[index].name}`,
      width: '100vw',
      height: '100vh',
      maxWidth: '100vw',
      panelClass: 'lightbox-panel',
      backdropClass: 'lightbox-backdrop',
    });
  }
}
