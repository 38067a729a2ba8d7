import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { AdminContext } from '../admin-context';
import { ADMIN_PERMS, WS_ID, expectRequest, workspace } from '../admin-test-fixtures';
import { SettingsPage } from './settings-page';

describe('SettingsPage', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<SettingsPage>;
  let context: AdminContext;
  const toggle = () => (fixture.nativeElement as HTMLElement).querySelector<HTMLInputElement>('[data-testid="workspace-read-receipts"]')!;
  const text = () => (fixture.nativeElement as HTMLElement).textContent ?? '';

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    context = TestBed.inject(AdminContext);
    context.set(workspace(ADMIN_PERMS));
    fixture = TestBed.createComponent(SettingsPage);
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  it('read receipts are on unless the workspace turned them off; a change is saved at once', async () => {
    expect(toggle().checked).toBe(true);
    toggle().click();
    const req = await expectRequest(http, 'PATCH', `/api/workspaces/${WS_ID}`);
    expect(req.request.body).toEqual({ settings: { readReceipts: false } });
    req.flush({ ...workspace(ADMIN_PERMS), settings: { readReceipts: false } });
    await fixture.whenStable();
    expect(context.workspace()?.settings.readReceipts).toBe(false);
    expect(toggle().checked).toBe(false);
    expect(text()).toContain('Read receipts are off for everyone.');
  });

  it('a refusal puts the switch back and says why', async () => {
    toggle().click();
    (await expectRequest(http, 'PATCH', `/api/workspaces/${WS_ID}`)).flush(
      { statusCode: 403, error: 'Forbidden', message: 'Nope', code: 'FORBIDDEN' },
      { status: 403, statusText: 'Forbidden' },
    );
    await fixture.whenStable();
    expect(toggle().checked).toBe(true);
    expect(text()).toContain("You don't have permission to change the settings.");
  });
});
