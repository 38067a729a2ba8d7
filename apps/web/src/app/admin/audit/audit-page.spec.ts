import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Permission, type AuditEventDto } from '@parley/contracts';

import { AdminContext } from '../admin-context';
import { MEMBERS, WS_ID, expectRequest, workspace } from '../admin-test-fixtures';
import { AUDIT_PAGE_SIZE, AuditPage } from './audit-page';

const AUDIT_URL = `/api/workspaces/${WS_ID}/audit-events`;

function event(seq: number, action = 'channel.create'): AuditEventDto {
  return {
    id: `e-${seq}`,
    workspaceId: WS_ID,
    seq,
    occurredAt: new Date(Date.UTC(2026, 2, 1, 12, 0, seq)).toISOString(),
    actorId: 'u-ana',
    action,
    targetType: 'user',
    targetId: 'u-cleo',
    outcome: 'success',
    ip: '127.0.0.1',
    userAgent: 'test',
    details: { status: 200 },
    prevHash: '0'.repeat(64),
    hash: 'a'.repeat(64),
    hashVersion: 2,
  };
}

describe('AuditPage', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<AuditPage>;
  let el: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
    TestBed.inject(AdminContext).set(workspace([Permission.AuditRead, Permission.AuditExport]));
    fixture = TestBed.createComponent(AuditPage);
    el = fixture.nativeElement as HTMLElement;
    (await expectRequest(http, 'GET', `/api/workspaces/${WS_ID}/members`)).flush(MEMBERS);
    const first = await expectRequest(http, 'GET', AUDIT_URL);
    expect(first.request.params.keys().sort()).toEqual(['limit']);
    expect(first.request.params.get('limit')).toBe(String(AUDIT_PAGE_SIZE));
    first.flush({ items: [event(3), event(2)], nextCursor: null });
    await fixture.whenStable();
  });

  function setInput(selector: string, value: string, eventName = 'input'): void {
    const input = el.querySelector<HTMLInputElement | HTMLSelectElement>(selector)!;
    input.value = value;
    input.dispatchEvent(new Event(eventName));
  }

  function submitFilters(): void {
    el.querySelector<HTMLFormElement>('form[aria-label="Filter the audit log"]')!.dispatchEvent(new Event('submit'));
  }

  it('shows the events in a table, actors by name', () => {
    const headers = [...el.querySelectorAll('thead th')].map((th) => th.textContent?.trim());
    expect(headers).toEqual(['Time', 'Actor', 'Action', 'Target', 'Outcome', 'Details']);
    const rows = el.querySelectorAll('tbody tr');
    expect(rows.length).toBe(2);
    expect(rows[0].textContent).toContain('Ana');
    expect(rows[0].textContent).toContain('channel.create');
    expect(rows[0].textContent).toContain('user Cleo');
  });

  it('turns the filters into query parameters', async () => {
    setInput('#audit-action', 'member.role.change');
    setInput('#audit-actor', 'u-ana', 'change');
    setInput('#audit-target', 'u-cleo');
    setInput('#audit-from', '2026-03-01', 'change');
    setInput('#audit-to', '2026-03-05', 'change');
    submitFilters();

    const req = await expectRequest(http, 'GET', AUDIT_URL);
    const params = req.request.params;
    expect(params.get('action')).toBe('member.role.change');
    expect(params.get('actorId')).toBe('u-ana');
    expect(params.get('targetId')).toBe('u-cleo');
    // From the start of the first day to the start of the day after the last (local time).
    expect(params.get('from')).toBe(new Date(2026, 2, 1).toISOString());
    expect(params.get('to')).toBe(new Date(2026, 2, 6).toISOString());
    expect(params.has('cursor')).toBe(false);
    req.flush({ items: [], nextCursor: null });
    await fixture.whenStable();

    expect(el.textContent).toContain('No events match these filters.');
  });

  it('leaves out filters that are empty', async () => {
    setInput('#audit-action', '  ');
    setInput('#audit-from', '2026-03-01', 'change');
    submitFilters();

    const req = await expectRequest(http, 'GET', AUDIT_URL);
    expect(req.request.params.keys().sort()).toEqual(['from', 'limit']);
    req.flush({ items: [], nextCursor: null });
  });

  it('refuses a "to" date before the "from" date without asking the server', async () => {
    setInput('#audit-from', '2026-03-05', 'change');
    setInput('#audit-to', '2026-03-01', 'change');
    submitFilters();
    await fixture.whenStable();

    expect(el.querySelector('#audit-filter-error')?.textContent).toContain('before');
    http.expectNone(AUDIT_URL);
  });

  it('loads older events with nextCursor, keeping the filters, and appends them', async () => {
    setInput('#audit-action', 'channel.create');
    submitFilters();
    (await expectRequest(http, 'GET', AUDIT_URL)).flush({ items: [event(60), event(59)], nextCursor: '59' });
    await fixture.whenStable();

    const more = [...el.querySelectorAll('button')].find((b) => b.textContent?.includes('Load more'))!;
    more.click();

    const req = await expectRequest(http, 'GET', AUDIT_URL);
    expect(req.request.params.get('cursor')).toBe('59');
    expect(req.request.params.get('action')).toBe('channel.create');
    req.flush({ items: [event(58)], nextCursor: null });
    await fixture.whenStable();

    expect(el.querySelectorAll('tbody tr').length).toBe(3);
    expect([...el.querySelectorAll('button')].some((b) => b.textContent?.includes('Load more'))).toBe(false);
    expect(el.textContent).toContain('Showing 3 events (all).');
  });

  it('verifies the chain and says where it broke', async () => {
    [...el.querySelectorAll('button')].find((b) => b.textContent?.includes('Verify chain'))!.click();
    (await expectRequest(http, 'GET', `${AUDIT_URL}/verify`)).flush({
      ok: false,
      checked: 2,
      firstBrokenId: 'e-2',
      problem: 'hash',
      message: 'Event 2 was changed after it was written',
      checkpoints: 1,
    });
    await fixture.whenStable();

    const alert = el.querySelector('[role="alert"]')?.textContent;
    expect(alert).toContain('e-2');
    expect(alert).toContain('Event 2 was changed after it was written');
  });

  it('says when events were cut from the end, where no event is left to name', async () => {
    [...el.querySelectorAll('button')].find((b) => b.textContent?.includes('Verify chain'))!.click();
    const message = 'The log ends at event 4, but a checkpoint signed at 2026-03-01T12:00:00.000000Z counted 6 events';
    (await expectRequest(http, 'GET', `${AUDIT_URL}/verify`)).flush({
      ok: false,
      checked: 4,
      problem: 'truncated',
      message,
      checkpoints: 1,
    });
    await fixture.whenStable();

    const alert = el.querySelector('[role="alert"]')?.textContent;
    expect(alert).toContain(message);
    expect(alert).not.toContain('First broken event');
  });

  it('shows channels by the name they had when the event was written, their ids in the details', async () => {
    const channelEvent = (
      seq: number,
      action: string,
      targetType: string,
      targetId: string,
      details: Record<string, unknown>,
    ) => ({
      ...event(seq, action),
      targetType,
      targetId,
      details: { status: 200, ...details },
    });
    // The channel is called "launch" today; the events name it as it was then.
    const rename = channelEvent(12, 'channel.update', 'channel', 'c-1', {
      channelId: 'c-1',
      channelName: 'launch',
      previousName: 'plans',
    });
    const created = channelEvent(11, 'channel.create', 'channel', 'c-1', { channelId: 'c-1', channelName: 'plans' });
    const removed = channelEvent(13, 'channel.member.remove', 'user', 'u-cleo', { channelId: 'c-1', channelName: 'launch' });
    const dm = channelEvent(10, 'dm.open', 'channel', 'c-dm', { channelId: 'c-dm', created: true });
    submitFilters();
    (await expectRequest(http, 'GET', AUDIT_URL)).flush({ items: [removed, rename, created, dm], nextCursor: null });
    await fixture.whenStable();

    const targets = [...el.querySelectorAll('tbody tr td[data-label="Target"]')].map((td) => td.textContent?.trim());
    expect(targets).toEqual(['user Cleo in #launch', '#launch', '#plans', 'a direct message']);
    const rows = el.querySelectorAll('tbody tr');
    // The ids are in the details: the channel's beside the user it was about, and as the target of a channel event.
    expect(rows[0].querySelector('details')?.textContent).toContain('c-1');
    expect(rows[2].querySelector('details')?.textContent).toContain('c-1');
    expect(rows[2].querySelector('td[data-label="Target"]')?.getAttribute('title')).toBe('c-1');
    expect(el.textContent).not.toContain('channel c-1');
  });

  it('exports through HttpClient as a blob with the applied filters', async () => {
    const created: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:audit';
    });
    const revokeObjectURL = vi.fn();
    const original = { createObjectURL: URL.createObjectURL, revokeObjectURL: URL.revokeObjectURL };
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);

    [...el.querySelectorAll('button')].find((b) => b.textContent?.includes('Export CSV'))!.click();
    const req = await expectRequest(http, 'GET', `${AUDIT_URL}/export`);
    expect(req.request.params.get('format')).toBe('csv');
    expect(req.request.responseType).toBe('blob');
    req.flush(new Blob(['id,seq\r\n'], { type: 'text/csv' }), {
      headers: { 'Content-Disposition': `attachment; filename="audit-${WS_ID}-2026-03-01.csv"` },
    });
    await fixture.whenStable();

    expect(created.length).toBe(1);
    expect(click).toHaveBeenCalledTimes(1);
    expect(click.mock.contexts[0]).toMatchObject({ download: `audit-${WS_ID}-2026-03-01.csv`, href: 'blob:audit' });
    click.mockRestore();
    Object.assign(URL, original);
  });
});
