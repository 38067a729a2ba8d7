import { ChangeDetectionStrategy, Component, Injectable, computed, inject, input, output, signal } from '@angular/core';
import type { BroadcastMention, ChannelMemberDto } from '@parley/contracts';

import { Avatar } from './avatar';
import { ChannelsStore } from './channels-store';
import { ChatApi } from './chat-api';
import { insertPick, type MentionPick, type MentionQuery, mentionQuery, nameMatches } from './mention-tokens';

/** One line of the list: a person, a channel, or @channel / @here. */
export interface MentionOption {
  kind: 'user' | 'channel' | 'broadcast';
  /** The person's or channel's id, or the broadcast word. */
  id: string;
  /** What is inserted: `@Ana Lima`, `#general`, `@here`. */
  label: string;
  /** The grey text after it. */
  hint: string;
}

/** How many lines the list shows at most. */
const OPTIONS_MAX = 8;

const BROADCASTS: { word: BroadcastMention; hint: string }[] = [
  { word: 'channel', hint: 'Notify everyone in this channel' },
  { word: 'here', hint: 'Notify everyone online in this channel' },
];

/** What the list is made from. */
export interface MentionSources {
  me: string | null;
  /** People of the channel (the first lines); `null` while they are being fetched. */
  channelMembers: readonly { userId: string; displayName: string }[] | null;
  /** People of the workspace (after them). */
  workspaceMembers: readonly { userId: string; displayName: string }[];
  /** Channels of the workspace the person can see. */
  channels: readonly { id: string; name: string }[];
  /** A DM or group DM: no @channel / @here there. */
  direct: boolean;
}

/**
 * The list for what is being typed: for `@`, people of the channel first, then other people of the
 * workspace, then @channel and @here (not in DMs); for `#`, channels. One's own name is left out.
 */
export function mentionOptions(query: MentionQuery, sources: MentionSources): MentionOption[] {
  if (query.trigger === '#') {
    return sources.channels
      .filter((c) => nameMatches(c.name, query.query))
      .slice(0, OPTIONS_MAX)
      .map((c) => ({ kind: 'channel', id: c.id, label: `#${c.name}`, hint: '' }));
  }
  const channelMembers = sources.channelMembers ?? [];
  const inChannel = new Set(channelMembers.map((m) => m.userId));
  // Until the channel's people are known, nobody is called "not in this channel".
  const outsiderHint = sources.direct || !sources.channelMembers ? '' : 'Not in this channel';
  const person = (hint: string) => (m: { userId: string; displayName: string }) => ({ kind: 'user' as const, id: m.userId, label: `@${m.displayName}`, hint });
  const matching = (list: readonly { userId: string; displayName: string }[]) =>
    list.filter((m) => m.userId !== sources.me && nameMatches(m.displayName, query.query));
  const people = [
    ...matching(channelMembers).map(person('')),
    ...matching(sources.workspaceMembers.filter((m) => !inChannel.has(m.userId))).map(person(outsiderHint)),
  ];
  const broadcasts = sources.direct
    ? []
    : BROADCASTS.filter((b) => b.word.startsWith(query.query.toLowerCase())).map((b) => ({ kind: 'broadcast' as const, id: b.word, label: `@${b.word}`, hint: b.hint }));
  // The broadcasts always make the list, even when many people match.
  return [...people.slice(0, OPTIONS_MAX - broadcasts.length), ...broadcasts];
}

/**
 * The autocomplete of one textarea (the composer, the inline editor): what is being typed, the
 * options for it, which one is active, and the keys that move and pick. The textarea stays the
 * focus throughout (the ARIA combobox pattern); its component passes text, caret and keys here.
 */
@Injectable()
export class MentionSuggest {
  private readonly channels = inject(ChannelsStore);
  private readonly api = inject(ChatApi);

  readonly channelId = signal<string | null>(null);
  private readonly query = signal<MentionQuery | null>(null);
  readonly active = signal(0);
  /** People of each channel, fetched when someone types `@` there. */
  private readonly channelMembers = signal<Record<string, ChannelMemberDto[]>>({});
  /** The channel's member count when its people were fetched (or are being fetched). */
  private readonly fetchedAtCount = new Map<string, number>();
  /** The trigger the person closed with Escape (or just picked): it does not open again until another is typed. */
  private closedAt = -1;

  readonly options = computed<MentionOption[]>(() => {
    const query = this.query();
    const channelId = this.channelId();
    if (!query || !channelId) return [];
    const channel = this.channels.find(channelId);
    const workspaceMembers = Object.values(this.channels.members()).filter((m) => m.state === 'active');
    return mentionOptions(query, {
      me: this.channels.me(),
      channelMembers: this.channelMembers()[channelId] ?? null,
      workspaceMembers,
      channels: this.channels
        .channels()
        .filter((c) => (c.type === 'public' || c.type === 'private') && !c.archivedAt && c.name)
        .map((c) => ({ id: c.id, name: c.name! })),
      direct: channel?.type === 'dm' || channel?.type === 'group_dm',
    });
  });
  readonly open = computed(() => this.options().length > 0);
  readonly activeOption = computed(() => this.options()[Math.min(this.active(), this.options().length - 1)] ?? null);

  /** The text or caret moved: what is typed at the caret now. */
  update(text: string, caret: number): void {
    const query = mentionQuery(text, caret);
    if (!query || query.start !== this.closedAt) this.closedAt = -1;
    const shown = query && query.start !== this.closedAt ? query : null;
    const before = this.query();
    if (shown?.query !== before?.query || shown?.start !== before?.start) this.active.set(0);
    this.query.set(shown);
    if (shown?.trigger === '@') void this.loadChannelMembers();
  }

  close(): void {
    this.closedAt = this.query()?.start ?? -1;
    this.query.set(null);
  }

  /**
   * A key in the textarea while the list is open: ↑/↓ move, Enter and Tab pick, Escape closes.
   * Answers the option picked, `true` when the key was taken otherwise, `false` when it is the
   * textarea's (the list is closed, or the key is none of these).
   */
  onKey(event: KeyboardEvent): MentionOption | boolean {
    if (!this.open() || event.isComposing) return false;
    const count = this.options().length;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (event.altKey || event.ctrlKey || event.metaKey) return false;
        event.preventDefault();
        this.active.set((this.active() + (event.key === 'ArrowDown' ? 1 : count - 1)) % count);
        return true;
      case 'Enter':
      case 'Tab':
        if (event.shiftKey) return false;
        event.preventDefault();
        return this.activeOption() ?? false;
      case 'Escape':
        // Taken here: the inline editor would cancel the edit, the thread panel close.
        event.preventDefault();
        event.stopPropagation();
        this.close();
        return true;
      default:
        return false;
    }
  }

  /** Puts `option` in place of what is typed; the new text, caret, and the pick to remember (none for @channel/@here). */
  apply(option: MentionOption, text: string, caret: number): { text: string; caret: number; pick: MentionPick | null } {
    const query = this.query() ?? { trigger: option.label[0] as '@' | '#', query: '', start: caret };
    const result = insertPick(text, caret, query, option.label);
    // "@Ana " still reads as a query for "Ana": the list stays closed until another @ or # is typed.
    this.close();
    const pick = option.kind === 'broadcast' ? null : { kind: option.kind, id: option.id, label: option.label };
    return { ...result, pick };
  }

  /** The textarea's text or caret moved. */
  follow(element: HTMLTextAreaElement): void {
    this.update(element.value, element.selectionStart ?? element.value.length);
  }

  /** Puts `option` in the textarea at its caret; answers the picks with this one remembered. */
  pickInto(element: HTMLTextAreaElement, option: MentionOption, picks: readonly MentionPick[]): MentionPick[] {
    const result = this.apply(option, element.value, element.selectionStart ?? element.value.length);
    element.value = result.text;
    element.setSelectionRange(result.caret, result.caret);
    element.focus();
    const pick = result.pick;
    return pick ? [...picks.filter((p) => p.label !== pick.label), pick] : [...picks];
  }

  /** Fetched again when the channel's member count (kept live) moved since: someone joined or left. */
  private async loadChannelMembers(): Promise<void> {
    const id = this.channelId();
    const count = id ? (this.channels.find(id)?.memberCount ?? 0) : 0;
    if (!id || this.fetchedAtCount.get(id) === count) return;
    this.fetchedAtCount.set(id, count);
    try {
      const list = await this.api.channelMembers(id);
      this.channelMembers.update((all) => ({ ...all, [id]: list }));
    } catch {
      // Not readable now (offline, just removed): the list shows the workspace's people, and the next @ tries again.
      this.fetchedAtCount.delete(id);
    }
  }
}

/**
 * The list under (or over) a textarea. The textarea keeps the focus: it is the combobox, this the
 * listbox it controls (`aria-activedescendant` names the active line). A click picks without
 * taking the focus away.
 */
@Component({
  selector: 'app-mention-list',
  imports: [Avatar],
  template: `
    <ul
      [id]="listId()"
      role="listbox"
      aria-label="Suggestions"
      class="max-h-72 w-72 overflow-y-auto rounded-lg border border-line bg-surface py-1 text-sm shadow-xl"
      data-testid="mention-list"
    >
      @for (option of options(); track option.kind + option.id; let i = $index) {
        <li
          [id]="listId() + '-' + i"
          role="option"
          [attr.aria-selected]="i === active()"
          class="flex cursor-pointer items-center gap-2 px-3 py-1.5"
          [class.bg-brand-600]="i === active()"
          [class.text-white]="i === active()"
          (mousedown)="$event.preventDefault()"
          (mouseenter)="hovered.emit(i)"
          (click)="picked.emit(option)"
        >
          @if (option.kind === 'user') {
            <app-avatar [name]="option.label.slice(1)" [userId]="option.id" [size]="20" />
          } @else {
            <span class="w-5 text-center font-semibold" aria-hidden="true">{{ option.kind === 'channel' ? '#' : '📣' }}</span>
          }
          <!-- A person and a channel by name (the icon says which); a broadcast as the word it writes. -->
          <span class="max-w-[65%] shrink-0 truncate font-medium">{{ option.kind === 'broadcast' ? option.label : option.label.slice(1) }}</span>
          @if (option.hint) {
            <span class="ml-auto min-w-0 truncate text-xs" [class.text-faint]="i !== active()">{{ option.hint }}</span>
          }
        </li>
      }
    </ul>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'absolute bottom-full left-0 z-30 mb-1' },
})
export class MentionList {
  readonly listId = input.required<string>();
  readonly options = input.required<MentionOption[]>();
  readonly active = input.required<number>();
  readonly picked = output<MentionOption>();
  readonly hovered = output<number>();
}
