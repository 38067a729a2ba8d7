import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import type { FileIcon } from './file-view';

/** Tints per icon, so a PDF, a sheet and an archive are told apart at a glance. */
const TINT: Record<FileIcon, string> = {
  pdf: 'bg-red-100 text-red-700 dark:bg-red-950 dark:text-red-300',
  archive: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
  text: 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200',
  sheet: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
  slides: 'bg-orange-100 text-orange-800 dark:bg-orange-950 dark:text-orange-300',
  doc: 'bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300',
  image: 'bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-300',
  video: 'bg-fuchsia-100 text-fuchsia-800 dark:bg-fuchsia-950 dark:text-fuchsia-300',
  audio: 'bg-teal-100 text-teal-800 dark:bg-teal-950 dark:text-teal-300',
  code: 'bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-300',
  generic: 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200',
};

/** A file type's icon: a document with its short label (PDF, ZIP, TXT) on a tint of its kind. */
@Component({
  selector: 'app-file-icon',
  template: `
    <span class="relative flex size-full items-center justify-center rounded-md" [class]="tint()" aria-hidden="true">
      <svg class="size-5" viewBox="0 0 20 20" fill="currentColor">
        @switch (icon()) {
          @case ('image') {
            <path fill-rule="evenodd" d="M1 5.25A2.25 2.25 0 0 1 3.25 3h13.5A2.25 2.25 0 0 1 19 5.25v9.5A2.25 2.25 0 0 1 16.75 17H3.25A2.25 2.25 0 0 1 1 14.75v-9.5Zm1.5 5.81v3.69c0 .41.34.75.75.75h13.5a.75.75 0 0 0 .75-.75v-2.69l-2.22-2.22a.75.75 0 0 0-1.06 0l-1.91 1.91.47.47a.75.75 0 1 1-1.06 1.06L6.53 8.84a.75.75 0 0 0-1.06 0L2.5 11.06ZM12 7a1 1 0 1 1-2 0 1 1 0 0 1 2 0Z" clip-rule="evenodd" />
          }
          @case ('video') {
            <path d="M3.25 4A2.25 2.25 0 0 0 1 6.25v7.5A2.25 2.25 0 0 0 3.25 16h7.5A2.25 2.25 0 0 0 13 13.75v-7.5A2.25 2.25 0 0 0 10.75 4h-7.5ZM19 4.75a.75.75 0 0 0-1.28-.53l-3 3a.75.75 0 0 0-.22.53v4.5c0 .2.08.39.22.53l3 3a.75.75 0 0 0 1.28-.53V4.75Z" />
          }
          @case ('audio') {
            <path d="M17.16 2.04a.75.75 0 0 1 .34.63v10.58a2.75 2.75 0 1 1-1.5-2.45V6.06l-8 1.78v7.41a2.75 2.75 0 1 1-1.5-2.45V4.67c0-.35.24-.65.59-.73l9.5-2.12a.75.75 0 0 1 .57.22Z" />
          }
          @case ('archive') {
            <path d="M2 3a1 1 0 0 0-1 1v1a1 1 0 0 0 1 1h16a1 1 0 0 0 1-1V4a1 1 0 0 0-1-1H2Z" />
            <path fill-rule="evenodd" d="M2 7.5h16l-.81 7.71a2 2 0 0 1-1.99 1.79H4.8a2 2 0 0 1-1.99-1.79L2 7.5ZM7 11a1 1 0 0 1 1-1h4a1 1 0 1 1 0 2H8a1 1 0 0 1-1-1Z" clip-rule="evenodd" />
          }
          @default {
            <path fill-rule="evenodd" d="M4.5 2A1.5 1.5 0 0 0 3 3.5v13A1.5 1.5 0 0 0 4.5 18h11a1.5 1.5 0 0 0 1.5-1.5V7.62a1.5 1.5 0 0 0-.44-1.06l-4.12-4.12A1.5 1.5 0 0 0 11.38 2H4.5Zm2.25 8.5a.75.75 0 0 0 0 1.5h6.5a.75.75 0 0 0 0-1.5h-6.5Zm0 3a.75.75 0 0 0 0 1.5h6.5a.75.75 0 0 0 0-1.5h-6.5Z" clip-rule="evenodd" />
          }
        }
      </svg>
    </span>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block shrink-0' },
})
export class FileIconView {
  readonly icon = input.required<FileIcon>();
  protected readonly tint = computed(() => TINT[this.icon()]);
}
