import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { ChannelDto, ChannelMemberDto } from '@parley/contracts';

import { toApiError } from '../core/http/api-error';
import { Avatar } from './avatar';
import { ChatApi } from './chat-api';
import { ChannelsStore } from './channels-store';
import { PresenceStore } from './presence-store';

/** Who is in the channel, with their presence; members can add people from the workspace. */
@Component({
  selector: 'app-members-panel',
  imports: [Avatar, FormsModule],
  template: `
    <div class="flex items-center justify-between border-b border-line px-4 py-3">
      <h2 class="text-sm font-semibold">Members <span class="font-normal text-muted">({{ members().length }})</span></h2>
      <button type="button" class="btn btn-ghost h-8 px-2" aria-label="Close members" (click)="closed.emit()">✕</button>
    </div>
    <ul class="flex-1 space-y-1 overflow-y-auto p-3" aria-label="Channel members">
      @for (member of members(); track member.userId) {
        <li class="flex items-center gap-2 text-sm">
          <app-avatar [name]="member.displayName" [userId]="member.userId" [size]="24" [presence]="presence.presenceOf(member.userId)" />
          <span class="truncate">{{ member.displayName }}</span>
        </li>
      }
    </ul>
    @if (canAdd()) {
      <form class="space-y-2 border-t border-line p-3" (ngSubmit)="add()">
        <label for="add-member" class="field-label">Add someone</label>
        <select id="add-member" name="userId" class="field-input" [(ngModel)]="picked">
          <option value="">Choose a person…</option>
          @for (person of candidates(); track person.userId) {
            <option [value]="person.userId">{{ person.displayName }}</option>
          }
        </select>
        @if (error(); as message) {
          <p role="alert" class="text-xs text-danger">{{ message }}</p>
        }
        <button type="submit" class="btn btn-secondary h-8 w-full" [disabled]="!picked">Add to channel</button>
      </form>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'flex h-full w-64 flex-col border-l border-line bg-surface' },
})
export class MembersPanel {
  protected readonly store = inject(ChannelsStore);
  protected readonly presence = inject(PresenceStore);
  private readonly api = inject(ChatApi);
  readonly channel = input.required<ChannelDto>();
  readonly closed = output<void>();
  protected readonly members = signal<ChannelMemberDto[]>([]);
  protected readonly error = signal<string | null>(null);
  protected picked = '';
  protected readonly canAdd = computed(() => {
    const channel = this.channel();
    return (channel.type === 'public' || channel.type === 'private') && channel.member && !channel.archivedAt;
  });
  protected readonly candidates = computed(() => {
    const inside = new Set(this.members().map((m) => m.userId));
    return Object.values(this.store.members()).filter((m) => m.state === 'active' && !inside.has(m.userId));
  });

  constructor() {
    effect(() => {
      const channel = this.channel();
      void channel.memberCount; // reload when the count changes
      untracked(() => void this.load(channel.id));
    });
  }

  private async load(channelId: string): Promise<void> {
    this.members.set(await this.api.channelMembers(channelId).catch(() => []));
  }

  protected async add(): Promise<void> {
    this.error.set(null);
    try {
      await this.api.addMembers(this.channel().id, [this.picked]);
      this.picked = '';
      await Promise.all([this.load(this.channel().id), this.store.refreshChannels()]);
    } catch (error) {
      this.error.set(toApiError(error).message ?? 'Could not add them.');
    }
  }
}
