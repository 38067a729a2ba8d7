import { DIALOG_DATA, DialogRef } from '@angular/cdk/dialog';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { FileDto } from '@parley/contracts';

import { downloadUrl, humanSize } from './file-view';

export interface LightboxData {
  /** The message's images, in its order. */
  images: FileDto[];
  /** The one clicked. */
  index: number;
}

/** Zoom steps (1 = the preview's own pixels); 'fit' shows it whole in the window. */
const ZOOMS = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4];

/**
 * An image of a message, large (its preview rendition): fit to the window or zoomed in steps,
 * with a download of the original. ←/→ go between the message's images, +/−/0 zoom, Esc closes
 * (CDK Dialog: focus is trapped inside and given back to the thumbnail on close).
 */
@Component({
  selector: 'app-file-lightbox',
  template: `
    @let f = current();
    <div class="flex h-full flex-col text-white">
      <header class="flex items-center gap-2 bg-black/60 px-4 py-2">
        <div class="min-w-0 flex-1">
          <h2 id="lightbox-title" class="truncate text-sm font-semibold">{{ f.name }}</h2>
          <p class="text-xs text-white/70">
            {{ size(f.size) }}@if (f.width && f.height) {
              · {{ f.width }} × {{ f.height }}
            }@if (data.images.length > 1) {
              · {{ index() + 1 }} of {{ data.images.length }}
            }
          </p>
        </div>
        <div class="flex items-center gap-1" role="group" aria-label="Zoom">
          <button type="button" class="lightbox-btn" aria-label="Zoom out" title="Zoom out (−)" [disabled]="zoom() !== 'fit' && zoom() === zooms[0]" (click)="zoomBy(-1)">
            <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path d="M4 9.25h12v1.5H4z" /></svg>
          </button>
          <button type="button" class="lightbox-btn min-w-14 text-xs tabular-nums" [attr.aria-pressed]="zoom() === 'fit'" aria-label="Fit to window" title="Fit (0)" (click)="zoom.set('fit')">
            {{ zoom() === 'fit' ? 'Fit' : zoomLabel() }}
          </button>
          <button type="button" class="lightbox-btn" aria-label="Zoom in" title="Zoom in (+)" [disabled]="zoom() === zooms[zooms.length - 1]" (click)="zoomBy(1)">
            <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path d="M9.25 4h1.5v5.25H16v1.5h-5.25V16h-1.5v-5.25H4v-1.5h5.25z" /></svg>
          </button>
        </div>
        <a class="lightbox-btn gap-1 px-3 text-xs font-medium" [href]="download(f.url)" [attr.download]="f.name" [attr.aria-label]="'Download ' + f.name" data-testid="lightbox-download">
          <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
            <path d="M10.75 2.75a.75.75 0 0 0-1.5 0v8.614L6.295 8.235a.75.75 0 1 0-1.09 1.03l4.25 4.5a.75.75 0 0 0 1.09 0l4.25-4.5a.75.75 0 0 0-1.09-1.03l-2.955 3.129V2.75Z" />
            <path d="M3.5 12.75a.75.75 0 0 0-1.5 0v2.5A2.75 2.75 0 0 0 4.75 18h10.5A2.75 2.75 0 0 0 18 15.25v-2.5a.75.75 0 0 0-1.5 0v2.5c0 .69-.56 1.25-1.25 1.25H4.75c-.69 0-1.25-.56-1.25-1.25v-2.5Z" />
          </svg>
          Download
        </a>
        <button type="button" class="lightbox-btn" aria-label="Close" title="Close (Esc)" (click)="ref.close()">
          <svg class="size-5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
            <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
          </svg>
        </button>
      </header>
      <div class="relative min-h-0 flex-1" [class.overflow-auto]="zoom() !== 'fit'" (click)="$event.target === $event.currentTarget && ref.close()">
        <div class="flex min-h-full min-w-full items-center justify-center p-4" [class.h-full]="zoom() === 'fit'" [class.w-max]="zoom() !== 'fit'" (click)="$event.target === $event.currentTarget && ref.close()">
          <img
            [src]="f.previewUrl ?? f.url"
            [alt]="f.name"
            class="select-none"
            [class.max-h-full]="zoom() === 'fit'"
            [class.max-w-full]="zoom() === 'fit'"
            [class.object-contain]="zoom() === 'fit'"
            [style.width.px]="zoomedWidth()"
            data-testid="lightbox-image"
            (load)="natural.set($any($event.target).naturalWidth)"
          />
        </div>
        @if (data.images.length > 1) {
          <button type="button" class="lightbox-btn absolute top-1/2 left-3 size-10 -translate-y-1/2 rounded-full bg-black/50" aria-label="Previous image" (click)="go(-1)">
            <svg class="size-5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path d="M12.8 4.2a.75.75 0 0 1 0 1.06L8.06 10l4.74 4.74a.75.75 0 1 1-1.06 1.06l-5.27-5.27a.75.75 0 0 1 0-1.06l5.27-5.27a.75.75 0 0 1 1.06 0Z" /></svg>
          </button>
          <button type="button" class="lightbox-btn absolute top-1/2 right-3 size-10 -translate-y-1/2 rounded-full bg-black/50" aria-label="Next image" (click)="go(1)">
            <svg class="size-5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path d="M7.2 15.8a.75.75 0 0 1 0-1.06L11.94 10 7.2 5.26A.75.75 0 1 1 8.26 4.2l5.27 5.27a.75.75 0 0 1 0 1.06L8.26 15.8a.75.75 0 0 1-1.06 0Z" /></svg>
          </button>
        }
      </div>
    </div>
  `,
  styles: `
    .lightbox-btn {
      display: inline-flex;
      height: 2rem;
      align-items: center;
      justify-content: center;
      border-radius: 0.375rem;
      padding-inline: 0.5rem;
      color: white;
    }
    .lightbox-btn:hover:not(:disabled) {
      background: rgb(255 255 255 / 0.15);
    }
    .lightbox-btn:disabled {
      opacity: 0.4;
    }
    .lightbox-btn:focus-visible {
      outline: 2px solid white;
      outline-offset: 1px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block h-full w-full' },
})
export class FileLightbox {
  protected readonly ref = inject<DialogRef<void>>(DialogRef);
  protected readonly data = inject<LightboxData>(DIALOG_DATA);
  protected readonly zooms = ZOOMS;
  protected readonly index = signal(this.data.index);
  protected readonly current = computed(() => this.data.images[this.index()]);
  readonly zoom = signal<'fit' | number>('fit');
  /** The preview's own width once loaded (zoom 1 = these pixels). */
  protected readonly natural = signal(0);
  protected readonly zoomedWidth = computed(() => {
    const zoom = this.zoom();
    if (zoom === 'fit') return null;
    const width = this.natural() || this.current().width || 800;
    return Math.round(width * zoom);
  });
  protected readonly zoomLabel = computed(() => `${Math.round((this.zoom() as number) * 100)}%`);
  protected readonly size = humanSize;
  protected readonly download = downloadUrl;

  constructor() {
    // Keys anywhere in the dialog (its overlay), wherever focus is inside it.
    this.ref.keydownEvents.pipe(takeUntilDestroyed()).subscribe((event) => this.onKey(event));
  }

  go(step: number): void {
    const count = this.data.images.length;
    if (count < 2) return;
    this.index.set((this.index() + step + count) % count);
    this.zoom.set('fit');
    this.natural.set(0);
  }

  /** From fit, zooming starts at 100%; then one step at a time. */
  zoomBy(step: number): void {
    const zoom = this.zoom();
    if (zoom === 'fit') {
      this.zoom.set(1);
      return;
    }
    const at = ZOOMS.indexOf(zoom);
    this.zoom.set(ZOOMS[Math.min(ZOOMS.length - 1, Math.max(0, at + step))]);
  }

  onKey(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const action: Record<string, () => void> = {
      ArrowLeft: () => this.go(-1),
      ArrowRight: () => this.go(1),
      '+': () => this.zoomBy(1),
      '=': () => this.zoomBy(1),
      '-': () => this.zoomBy(-1),
      '0': () => this.zoom.set('fit'),
    };
    const run = action[event.key];
    if (!run) return;
    event.preventDefault();
    run();
  }
}
