import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';

import { Avatar } from './avatar';
import { ChannelsStore } from './channels-store';

/**
 * The left column of a message line, in the channel and in a thread alike: the sender's picture
 * on the first line of a group, and on the lines under it their own time, shown in the gutter on
 * hover and focus (Slack style). Its host takes no box, so the column is the line's flex child.
 */
@Component({
  selector: 'app-message-gutter',
  imports: [Avatar, DatePipe],
  template: `
    @if (startsGroup()) {
      <app-avatar [name]="store.displayName(senderId())" [userId]="senderId()" [size]="36" />
    } @else {
      <time
        class="w-9 shrink-0 pt-0.5 text-right text-[11px] leading-5 text-faint tabular-nums opacity-0 group-hover/row:opacity-100 group-has-[:focus-visible]/row:opacity-100"
        [attr.datetime]="createdAt()"
        [title]="createdAt() | date: 'full'"
        data-testid="gutter-time"
        >{{ createdAt() | date: 'h:mm' }}</time
      >
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'contents' },
})
export class MessageGutter {
  protected readonly store = inject(ChannelsStore);
  readonly senderId = input.required<string>();
  readonly createdAt = input.required<string>();
  readonly startsGroup = input(false);
}

/** The first line of a group: the sender's name and the time; what is projected follows them. */
@Component({
  selector: 'app-message-header',
  imports: [DatePipe],
  template: `
    <div class="flex items-baseline gap-2">
      <span class="text-sm font-semibold">{{ store.displayName(senderId()) }}</span>
      <time class="text-xs text-faint" [attr.datetime]="createdAt()" [title]="createdAt() | date: 'full'">{{
        createdAt() | date: 'shortTime'
      }}</time>
      <ng-content />
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class MessageHeader {
  protected readonly store = inject(ChannelsStore);
  readonly senderId = input.required<string>();
  readonly createdAt = input.required<string>();
}
