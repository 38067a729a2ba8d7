import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { InviteDto } from '@parley/contracts';

import { AdminContext } from '../admin-context';
import { ADMIN_PERMS, MEMBERS, ROLES, WS_ID, expectRequest, workspace } from '../admin-test-fixtures';
import { InvitesPage } from './invites-page';

const INVITE: InviteDto = {
  id: 'i-1',
  workspaceId: WS_ID,
  email: 'dora@example.com',
  role: { id: 'r-guest', name: 'Guest', builtIn: 'guest' },
  invitedBy: 'u-ben',
  createdAt: '2026-01-03T00:00:00.000Z',
  expiresAt: '2099-01-10T00:00:00.000Z',
};

describe('InvitesPage', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<InvitesPage>;
  let el: HTMLElement;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])] });
    http = TestBed.inject(HttpTestingController);
    TestBed.inject(AdminContext).set(workspace(ADMIN_PERMS));
    fixture = TestBed.createComponent(InvitesPage);
    el = fixture.nativeElement as HTMLElement;
  });

  afterEach(() => http.verify());

  const rows = () => [...el.querySelectorAll<HTMLTableRowElement>('tbody tr')].map((tr) => [...tr.cells].slice(0, 3).map((td) => td.textContent?.trim()));

  it('lists pending invites with who sent them, and offers Member as the role to invite with', async () => {
    (await expectRequest(http, 'GET', `/api/workspaces/${WS_ID}/invites`)).flush([INVITE]);
    (await expectRequest(http, 'GET', `/api/workspaces/${WS_ID}/roles`)).flush(ROLES);
    (await expectRequest(http, 'GET', `/api/workspaces/${WS_ID}/members`)).flush(MEMBERS);
    await fixture.whenStable();
    expect(rows()).toEqual([['dora@example.com', 'Guest', 'Ben']]);
    expect(el.querySelector<HTMLSelectElement>('#invite-role')!.selectedOptions[0].textContent?.trim()).toBe('Member');
  });

  it('works without the member names; a failed load offers Try again', async () => {
    (await expectRequest(http, 'GET', `/api/workspaces/${WS_ID}/invites`)).flush({ message: 'boom' }, { status: 500, statusText: 'Server Error' });
    // The other requests of that load are dropped with it.
    const dropped = http.match((req) => req.url.endsWith('/roles') || req.url.endsWith('/members'));
    expect(dropped.map((req) => req.cancelled)).toEqual([true, true]);
    await fixture.whenStable();
    expect(el.querySelector('app-load-error [role="alert"]')?.textContent).toContain('Could not load the invites.');
    el.querySelector<HTMLButtonElement>('app-load-error button')!.click();
    (await expectRequest(http, 'GET', `/api/workspaces/${WS_ID}/invites`)).flush([INVITE]);
    (await expectRequest(http, 'GET', `/api/workspaces/${WS_ID}/roles`)).flush(ROLES);
    (await expectRequest(http, 'GET', `/api/workspaces/${WS_ID}/members`)).flush({ message: 'no' }, { status: 403, statusText: 'Forbidden' });
    await fixture.whenStable();
    expect(el.querySelector('app-load-error')).toBeNull();
    expect(rows()).toEqual([['dora@example.com', 'Guest', 'A former member']]);
  });
});
