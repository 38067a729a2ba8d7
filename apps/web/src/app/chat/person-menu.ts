import { CdkMenu, CdkMenuGroup, CdkMenuItem, CdkMenuItemRadio, CdkMenuTrigger } from '@angular/cdk/menu';
import type { ConnectedPosition } from '@angular/cdk/overlay';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { PresenceStatus, SetStatus } from '@parley/contracts';

import { canOpenAdmin } from '../admin/admin-permissions';
import { AuthSession } from '../core/auth/auth-session';
import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { Avatar } from './avatar';
import { ChannelsStore } from './channels-store';
import { PresenceStore } from './presence-store';

const STATUSES: { value: SetStatus; label: string; dot: string }[] = [
  { value: 'online', label: 'Online', dot: 'bg-emerald-500' },
  { value: 'away', label: 'Away', dot: 'bg-amber-400' },
  { value: 'dnd', label: 'Do not disturb', dot: 'bg-red-500' },
  { value: 'invisible', label: 'Invisible', dot: 'bg-zinc-400' },
];

/** The menu opens above its button (the button sits at the bottom of the sidebar). */
const ABOVE: ConnectedPosition[] = [
  { originX: 'start', originY: 'top', overlayX: 'start', overlayY: 'bottom', offsetY: -6 },
  { originX: 'start', originY: 'bottom', overlayX: 'start', overlayY: 'top', offsetY: 6 },
];

/**
 * The signed-in person's menu at the foot of the sidebar: status, profile, sessions, the
 * admin console (when their role may open it) and sign out. A CDK menu: arrow keys move,
 * Esc closes and gives focus back to the button.
 */
@Component({
  selector: 'app-person-menu',
  imports: [Avatar, CdkMenu, CdkMenuGroup, CdkMenuItem, CdkMenuItemRadio, CdkMenuTrigger, RouterLink],
  template: `
    <button
      type="button"
      class="flex w-full items-center gap-2 rounded-md px-1 py-1 text-left hover:bg-white/10 aria-expanded:bg-white/10"
      [cdkMenuTriggerFor]="menu"
      [cdkMenuPosition]="above"
      [attr.aria-label]="'Your menu: ' + name() + ', ' + statusLabel()"
      data-testid="person-menu"
    >
      <app-avatar [name]="name()" [userId]="me() ?? ''" [size]="28" [presence]="status()" />
      <span class="min-w-0 flex-1">
        <span class="block truncate text-sm font-medium text-white">{{ name() }}</span>
        <span class="block truncate text-xs text-zinc-400">{{ statusLabel() }}</span>
      </span>
      <svg viewBox="0 0 20 20" fill="currentColor" class="size-4 shrink-0 text-zinc-400" aria-hidden="true">
        <path d="M10 6.5 14.5 11l-1.06 1.06L10 8.62l-3.44 3.44L5.5 11z" />
      </svg>
    </button>

    <ng-template #menu>
      <div cdkMenu class="w-64 rounded-xl border border-line bg-surface py-1.5 text-sm text-ink shadow-xl" aria-label="Your menu">
        <div class="mb-1.5 border-b border-line px-3 pt-1.5 pb-2.5">
          <p class="truncate font-semibold">{{ name() }}</p>
          @if (email(); as address) {
            <p class="truncate text-xs text-muted">{{ address }}</p>
          }
        </div>
        <div cdkMenuGroup role="group" aria-label="Status">
          @for (option of statuses; track option.value) {
            <button
              type="button"
              cdkMenuItemRadio
              class="menu-item"
              [cdkMenuItemChecked]="selectValue() === option.value"
              (cdkMenuItemTriggered)="setStatus(option.value)"
            >
              <span class="size-2.5 shrink-0 rounded-full" [class]="option.dot" aria-hidden="true"></span>
              <span class="flex-1">{{ option.label }}</span>
              @if (selectValue() === option.value) {
                <svg viewBox="0 0 20 20" fill="currentColor" class="size-4 text-brand-600 dark:text-brand-300" aria-hidden="true">
                  <path d="M8.1 13.6 4.5 10l-1.06 1.06 4.66 4.66 9.4-9.4L16.44 5.3z" />
                </svg>
              }
            </button>
          }
        </div>
        <div class="my-1.5 h-px bg-line" role="separator"></div>
        <a cdkMenuItem class="menu-item" routerLink="/profile">Profile</a>
        <a cdkMenuItem class="menu-item" routerLink="/sessions">Sessions</a>
        @if (isAdmin()) {
          <a cdkMenuItem class="menu-item" [routerLink]="['/w', workspaceId(), 'admin']">Admin console</a>
        }
        <div class="my-1.5 h-px bg-line" role="separator"></div>
        <button type="button" cdkMenuItem class="menu-item" (cdkMenuItemTriggered)="signOut()">Sign out</button>
      </div>
    </ng-template>
  `,
  styles: `
    .menu-item {
      display: flex;
      width: 100%;
      align-items: center;
      gap: 0.625rem;
      padding: 0.375rem 0.75rem;
      text-align: left;
      cursor: pointer;
    }
    .menu-item:hover,
    .menu-item:focus-visible {
      background: var(--surface-muted);
    }
    .menu-item:focus-visible {
      outline-offset: -2px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class PersonMenu {
  private readonly store = inject(ChannelsStore);
  private readonly presence = inject(PresenceStore);
  private readonly auth = inject(AuthStore);
  private readonly session = inject(AuthSession);
  private readonly socket = inject(SocketService);

  readonly workspaceId = input.required<string>();

  protected readonly statuses = STATUSES;
  protected readonly above = ABOVE;
  protected readonly me = computed(() => this.store.me());
  protected readonly name = computed(() => (this.me() ? this.store.displayName(this.me()!) : ''));
  protected readonly email = computed(() => this.auth.user()?.email ?? '');
  protected readonly status = computed<PresenceStatus>(() => (this.me() ? this.presence.presenceOf(this.me()!) : 'offline'));
  /** Invisible people are shown offline to others; to themselves, it is the status they chose. */
  protected readonly selectValue = computed<SetStatus>(() => (this.status() === 'offline' ? 'invisible' : this.status()) as SetStatus);
  protected readonly statusLabel = computed(() => STATUSES.find((s) => s.value === this.selectValue())?.label ?? '');
  protected readonly isAdmin = computed(() => canOpenAdmin(this.store.workspace()?.permissions ?? []));

  protected async setStatus(status: SetStatus): Promise<void> {
    const ack = await this.socket.request('setStatus', { status });
    const me = this.me();
    if (ack.ok && me) this.presence.set(me, ack.data.status);
  }

  protected signOut(): void {
    void this.session.signOut();
  }
}
