import { DIALOG_DATA } from '@angular/cdk/dialog';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import type { MessageDto, MessageVersionDto } from '@parley/contracts';

import { isNetworkError, toApiError } from '@web/core/http/api-error';
import { ChannelsStore } from '../channels-store';
import { ChatApi } from '../chat-api';
import { MessageText } from '../message-text';
import { DialogFrame } from './dialog-frame';

export interface EditHistoryData {
  message: MessageDto;
}

/** One text of the message, as the dialog lists it. */
interface ShownVersion {
  text: string;
  /** When this text was written (the message's creation, or the edit that made it). */
  writtenAt: string;
  current: boolean;
}

/**
 * "Edit history": the message as it reads now (marked Current), then every earlier text, newest
 * first, each with when it was written. The server answers only the sender and holders of
 * audit.read or ediscovery.export (the button is offered to them alone); a refusal is said here.
 */
@Component({
  selector: 'app-edit-history-dialog',
  imports: [DatePipe, DialogFrame, MessageText],
  template: `
    <app-dialog-frame title="Edit history" titleId="edit-history-title">
      @switch (state()) {
        @case ('loading') {
          <p class="text-sm text-muted" role="status">Loading earlier versions…</p>
        }
        @case ('failed') {
          <div class="alert-danger" role="alert">{{ failure() }}</div>
          <div class="mt-4 flex justify-end">
            <button type="button" class="btn btn-secondary h-9" (click)="load()">Try again</button>
          </div>
        }
        @default {
          <ol class="-mx-1 max-h-[60vh] space-y-2 overflow-y-auto px-1" aria-label="Versions, newest first">
            @for (version of shown(); track $index) {
              <li
                class="rounded-lg border px-3 py-2.5"
                [class]="version.current ? 'border-brand-200 bg-brand-50/60 dark:border-brand-800 dark:bg-brand-900/20' : 'border-line'"
                data-testid="version"
              >
                <div class="mb-1 flex items-center gap-2 text-xs text-muted">
                  @if (version.current) {
                    <span class="rounded-full bg-brand-600 px-2 py-0.5 text-[11px] font-semibold text-white dark:bg-brand-500" data-testid="current">Current</span>
                  }
                  <time [attr.datetime]="version.writtenAt" [title]="version.writtenAt | date: 'full'">{{ version.writtenAt | date: 'medium' }}</time>
                  @if ($last && !version.current) {
                    <span class="text-faint">· original</span>
                  }
                </div>
                <parley-message-text class="text-sm" [text]="version.text" [mentions]="channels" />
              </li>
            }
          </ol>
          @if (shown().length === 1) {
            <p class="mt-3 text-sm text-muted">No earlier versions are kept for this message.</p>
          }
        }
      }
    </app-dialog-frame>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EditHistoryDialog {
  private readonly api = inject(ChatApi);
  protected readonly channels = inject(ChannelsStore);
  private readonly data = inject<EditHistoryData>(DIALOG_DATA);

  protected readonly state = signal<'loading' | 'loaded' | 'failed'>('loading');
  protected readonly failure = signal('');
  private readonly versions = signal<MessageVersionDto[]>([]);
  /** Now first, then the earlier texts newest first (the server lists them oldest first). */
  protected readonly shown = computed<ShownVersion[]>(() => {
    const message = this.data.message;
    const current: ShownVersion = { text: message.text, writtenAt: message.editedAt ?? message.createdAt, current: true };
    return [current, ...[...this.versions()].reverse().map((v) => ({ text: v.text, writtenAt: v.writtenAt, current: false }))];
  });

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.state.set('loading');
    try {
      this.versions.set(await this.api.versions(this.data.message.id));
      this.state.set('loaded');
    } catch (error) {
      const api = toApiError(error);
      this.failure.set(
        isNetworkError(api)
          ? 'The edit history could not be loaded: the server could not be reached.'
          : api.status === 403 || api.status === 404
            ? 'The edit history is not available to you (only the sender and auditors may read it), or the message is gone.'
            : `The edit history could not be loaded: ${api.message ?? 'try again'}.`.replace(/\.\.$/, '.'),
      );
      this.state.set('failed');
    }
  }
}
