import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Permission, type AuditEventDto, type AuditEventPage, type AuditVerifyResult, type MemberDto, type RoleDto } from '@parley/contracts';
import { type Subscription, catchError, of } from 'rxjs';

import { loadResource } from '@web/core/http/load-resource';
import { LoadError } from '@web/ui/load-error';
import { Spinner } from '@web/ui/spinner';
import { AdminApi, type AuditExportFormat } from '../admin-api';
import { AdminContext } from '../admin-context';
import { describeAdminError } from '../admin-errors';
import { formatDateTime, shortId } from '../ui/format';
import { filenameFromDisposition, saveBlob, withJsonErrorBody } from '../ui/save-file';
import { type AuditQuery, EMPTY_AUDIT_QUERY, isEmptyRange, KNOWN_AUDIT_ACTIONS } from './audit-query';

export const AUDIT_PAGE_SIZE = 50;

/** The channel's name as it was when the event was written (the api stores it in the details). */
function channelNameOf(event: AuditEventDto): string | null {
  const name = event.details?.['channelName'];
  return typeof name === 'string' && name ? name : null;
}

/** The audit log: newest first, filtered, paged by cursor; verify the hash chain; export it. */
@Component({
  selector: 'app-admin-audit-page',
  imports: [LoadError, Spinner],
  templateUrl: './audit-page.html',
  styleUrl: '../ui/responsive-table.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class AuditPage {
  private readonly api = inject(AdminApi);
  private readonly context = inject(AdminContext);
  private readonly document = inject(DOCUMENT);
  private readonly destroyRef = inject(DestroyRef);
  private moreRequest: Subscription | null = null;

  protected readonly knownActions = KNOWN_AUDIT_ACTIONS;
  protected readonly formatDateTime = formatDateTime;
  protected readonly shortId = shortId;

  /** What the filter form holds, and what the table shows (applied on submit). */
  protected readonly draft = signal<AuditQuery>({ ...EMPTY_AUDIT_QUERY });
  protected readonly applied = signal<AuditQuery>({ ...EMPTY_AUDIT_QUERY });
  protected readonly filterError = signal<string | null>(null);
  protected readonly filtered = computed(() => Object.values(this.applied()).some((v) => v.trim() !== ''));

  /** The newest page for the filters applied; "Load older events" appends to it. */
  private readonly page = loadResource<AuditEventPage>(
    () => this.api.auditEvents(this.context.workspaceId(), this.applied(), null, AUDIT_PAGE_SIZE),
    (error) => describeAdminError(error, 'load the audit log'),
  );
  protected readonly events = computed<AuditEventDto[] | null>(() => this.page.value()?.items ?? null);
  protected readonly nextCursor = computed(() => this.page.value()?.nextCursor ?? null);
  protected readonly loadingMore = signal(false);
  protected readonly loadError = this.page.error;
  protected readonly moreError = signal<string | null>(null);

  // Only for names (actors, targets, the actor filter): the log reads without them.
  private readonly memberList = loadResource(
    () => this.api.members(this.context.workspaceId()).pipe(catchError(() => of([] as MemberDto[]))),
    () => '',
  );
  private readonly roleList = loadResource(
    () => this.api.roles(this.context.workspaceId()).pipe(catchError(() => of([] as RoleDto[]))),
    () => '',
  );
  protected readonly members = computed(() => this.memberList.value() ?? []);
  private readonly roles = computed(() => this.roleList.value() ?? []);
  private readonly names = computed(() => new Map(this.members().map((m) => [m.userId, m.displayName])));
  private readonly roleNames = computed(() => new Map(this.roles().map((r) => [r.id, r.name])));

  protected readonly verifying = signal(false);
  protected readonly verified = signal<AuditVerifyResult | null>(null);
  protected readonly verifyError = signal<string | null>(null);

  protected readonly canExport = computed(() => this.context.can(Permission.AuditExport));
  protected readonly exporting = signal<AuditExportFormat | null>(null);
  protected readonly exportError = signal<string | null>(null);

  protected actorName(actorId: string | null): string {
    if (!actorId) return 'System';
    return this.names().get(actorId) ?? shortId(actorId);
  }

  /**
   * "user Cleo Park", "role Moderator", "this workspace", "#general" (a channel by the name it had
   * when the event was written, which the event carries), "user Cleo Park in #general", else the
   * type and a short id.
   */
  protected targetLabel(event: AuditEventDto): string {
    const { targetType, targetId } = event;
    const channel = channelNameOf(event);
    if (!targetId) return targetType ?? '—';
    if (targetType === 'workspace' && targetId === this.context.workspaceId()) return 'this workspace';
    if (targetType === 'channel')
      return channel ? `#${channel}` : event.action === 'dm.open' ? 'a direct message' : `channel ${shortId(targetId)}`;
    const name =
      targetType === 'user' ? this.names().get(targetId) : targetType === 'role' ? this.roleNames().get(targetId) : undefined;
    const label = `${targetType ?? 'target'} ${name ?? shortId(targetId)}`;
    return channel ? `${label} in #${channel}` : label;
  }

  /** The channel's id when the event is about a channel (kept in the details, shown beside the name). */
  protected channelIdOf(event: AuditEventDto): string | null {
    const id = event.details?.['channelId'];
    return typeof id === 'string' ? id : null;
  }

  protected detailsOf(event: AuditEventDto): string {
    return JSON.stringify(event.details ?? {}, null, 2);
  }

  protected setDraft(key: keyof AuditQuery, event: Event): void {
    const value = (event.target as HTMLInputElement | HTMLSelectElement).value;
    this.draft.update((d) => ({ ...d, [key]: value }));
    this.filterError.set(null);
  }

  protected applyFilters(event: Event): void {
    event.preventDefault();
    if (isEmptyRange(this.draft())) {
      this.filterError.set('The "To" date is before the "From" date.');
      return;
    }
    this.applied.set({ ...this.draft() });
    this.loadFirstPage();
  }

  protected clearFilters(): void {
    this.draft.set({ ...EMPTY_AUDIT_QUERY });
    this.applied.set({ ...EMPTY_AUDIT_QUERY });
    this.filterError.set(null);
    this.loadFirstPage();
  }

  protected loadFirstPage(): void {
    // An older page still on its way belongs to the filters before.
    this.moreRequest?.unsubscribe();
    this.moreError.set(null);
    this.loadingMore.set(false);
    this.page.reload();
  }

  protected loadMore(): void {
    const cursor = this.nextCursor();
    if (!cursor || this.loadingMore()) return;
    this.moreError.set(null);
    this.loadingMore.set(true);
    this.moreRequest = this.api
      .auditEvents(this.context.workspaceId(), this.applied(), cursor, AUDIT_PAGE_SIZE)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (older) => {
          this.page.value.update((page) => page && { items: [...page.items, ...older.items], nextCursor: older.nextCursor });
          this.loadingMore.set(false);
        },
        error: (error: unknown) => {
          this.loadingMore.set(false);
          this.moreError.set(describeAdminError(error, 'load older events'));
        },
      });
  }

  protected verify(): void {
    if (this.verifying()) return;
    this.verifying.set(true);
    this.verified.set(null);
    this.verifyError.set(null);
    this.api
      .verifyAudit(this.context.workspaceId())
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (result) => {
          this.verifying.set(false);
          this.verified.set(result);
        },
        error: (error: unknown) => {
          this.verifying.set(false);
          this.verifyError.set(describeAdminError(error, 'verify the audit chain'));
        },
      });
  }

  protected export(format: AuditExportFormat): void {
    if (this.exporting()) return;
    this.exporting.set(format);
    this.exportError.set(null);
    const workspaceId = this.context.workspaceId();
    this.api
      .exportAudit(workspaceId, this.applied(), format)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (response) => {
          this.exporting.set(null);
          const fallback = `audit-${workspaceId}-${new Date().toISOString().slice(0, 10)}.${format}`;
          const filename = filenameFromDisposition(response.headers.get('Content-Disposition')) ?? fallback;
          saveBlob(this.document, response.body ?? new Blob([]), filename);
        },
        error: (error: unknown) => {
          void withJsonErrorBody(error).then((parsed) => {
            this.exporting.set(null);
            this.exportError.set(describeAdminError(parsed, 'export the audit log'));
          });
        },
      });
  }
}
