import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Permission } from '@parley/contracts';

import { AdminContext } from '../admin-context';
import { ADMIN_PERMS, WS_ID, expectRequest, settle, workspace } from '../admin-test-fixtures';
import { BroadcastMentionsSetting } from './broadcast-mentions-setting';

describe('BroadcastMentionsSetting', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])] });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  async function render(permissions: readonly Permission[], settings = {}) {
    TestBed.inject(AdminContext).set({ ...workspace(permissions), settings });
    const fixture = TestBed.createComponent(BroadcastMentionsSetting);
    await fixture.whenStable();
    return { fixture, select: (fixture.nativeElement as HTMLElement).querySelector('select')! };
  }

  it('shows the current policy (Everyone by default) and saves a change, merging with the other settings on the server', async () => {
    const { fixture, select } = await render(ADMIN_PERMS);
    expect(select.value).toBe('everyone');
    expect([...select.options].map((o) => o.textContent?.trim())).toEqual(['Everyone who may post', 'Channel managers only', 'Nobody']);
    select.value = 'managers';
    select.dispatchEvent(new Event('change'));
    const req = await expectRequest(http, 'PATCH', `/api/workspaces/${WS_ID}`);
    expect(req.request.body).toEqual({ settings: { broadcastMentions: 'managers' } });
    req.flush({ ...workspace(ADMIN_PERMS), settings: { broadcastMentions: 'managers', readReceipts: false } });
    await settle();
    await fixture.whenStable();
    expect(TestBed.inject(AdminContext).workspace()?.settings).toEqual({ broadcastMentions: 'managers', readReceipts: false });
    expect(select.value).toBe('managers');
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Saved.');
  });

  it('says so when the server refuses, and is read-only without workspace.manage', async () => {
    const { fixture, select } = await render(ADMIN_PERMS, { broadcastMentions: 'nobody' });
    expect(select.value).toBe('nobody');
    select.value = 'everyone';
    select.dispatchEvent(new Event('change'));
    (await expectRequest(http, 'PATCH', `/api/workspaces/${WS_ID}`)).flush(
      { statusCode: 403, error: 'Forbidden', message: 'no', code: 'FORBIDDEN' },
      { status: 403, statusText: 'Forbidden' },
    );
    await settle();
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).querySelector('[role="alert"]')?.textContent).toContain("You don't have permission");

    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])] });
    http = TestBed.inject(HttpTestingController);
    const readOnly = await render([Permission.AuditRead]);
    expect(readOnly.select.disabled).toBe(true);
  });
});
