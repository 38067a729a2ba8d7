import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { AdminContext } from '../admin-context';
import { ADMIN_PERMS, MEMBERS, ROLES, WS_ID, expectRequest, settle, workspace } from '../admin-test-fixtures';
import { MembersPage } from './members-page';

describe('MembersPage', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<MembersPage>;
  let el: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
    TestBed.inject(AdminContext).set(workspace(ADMIN_PERMS));
    fixture = TestBed.createComponent(MembersPage);
    el = fixture.nativeElement as HTMLElement;
    (await expectRequest(http, 'GET', `/api/workspaces/${WS_ID}/members`)).flush(MEMBERS);
    (await expectRequest(http, 'GET', `/api/workspaces/${WS_ID}/roles`)).flush(ROLES);
    await fixture.whenStable();
  });

  afterEach(() => {
    document.querySelectorAll('.cdk-overlay-container').forEach((node) => node.remove());
  });

  function row(name: string): HTMLTableRowElement {
    const found = [...el.querySelectorAll<HTMLTableRowElement>('tbody tr')].find((tr) =>
      tr.cells[0]?.textContent?.includes(name),
    );
    if (!found) throw new Error(`no row for ${name}`);
    return found;
  }

  it('lists the members with name, email, role and state under labelled headers', () => {
    const headers = [...el.querySelectorAll('thead th')].map((th) => th.textContent?.trim());
    expect(headers).toEqual(['Name', 'Email', 'Role', 'Status', 'Actions']);
    expect(el.querySelectorAll('thead th[scope="col"]').length).toBe(5);

    const cleo = row('Cleo');
    expect(cleo.cells[1].textContent).toContain('cleo@example.com');
    expect(cleo.querySelector<HTMLSelectElement>('select')?.selectedOptions[0].textContent?.trim()).toBe('Member');
    expect(cleo.cells[3].textContent).toContain('Active');
    expect(el.querySelector('label[for="member-role-u-cleo"]')?.textContent).toContain('Role of Cleo');
  });

  it('does not offer to change the Owner, whose role is above an Admin', () => {
    expect(row('Ana').querySelector('select')).toBeNull();
    expect(row('Ana').cells[2].textContent).toContain('Owner');
    expect(row('Ana').querySelector('button')).toBeNull();
  });

  it('sends the PATCH when a role is picked, and shows a 409 from the server in the row', async () => {
    const select = row('Ben').querySelector('select')!;
    select.value = 'r-member';
    select.dispatchEvent(new Event('change'));

    const req = await expectRequest(http, 'PATCH', `/api/workspaces/${WS_ID}/members/u-ben`);
    expect(req.request.body).toEqual({ roleId: 'r-member' });
    req.flush(
      {
        statusCode: 409,
        error: 'Conflict',
        message: 'A workspace needs at least one active Owner: make someone else Owner first',
        code: 'WORKSPACE_LAST_OWNER',
      },
      { status: 409, statusText: 'Conflict' },
    );
    await fixture.whenStable();

    const alert = el.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('A workspace needs at least one active Owner: make someone else Owner first.');
    expect(alert?.id).toBe('member-error-u-ben');
    expect(select.getAttribute('aria-describedby')).toBe('member-error-u-ben');
    // The select goes back to the role the member still has.
    expect(select.value).toBe('r-admin');
  });

  it('updates the row when the role change succeeds', async () => {
    const select = row('Cleo').querySelector('select')!;
    select.value = 'r-guest';
    select.dispatchEvent(new Event('change'));

    const req = await expectRequest(http, 'PATCH', `/api/workspaces/${WS_ID}/members/u-cleo`);
    req.flush({ ...MEMBERS[2], role: { id: 'r-guest', name: 'Guest', builtIn: 'guest' } });
    (await expectRequest(http, 'GET', `/api/workspaces/${WS_ID}/roles`)).flush(ROLES);
    await fixture.whenStable();

    expect(el.querySelector('[role="status"]')?.textContent).toContain('Cleo is now Guest.');
    expect(row('Cleo').querySelector('select')?.value).toBe('r-guest');
  });

  it('asks in a dialog before removing, and removes on confirm', async () => {
    row('Cleo').querySelector<HTMLButtonElement>('button[aria-label="Remove Cleo"]')!.click();
    await settle();
    await fixture.whenStable();

    const dialog = document.querySelector<HTMLElement>('[role="dialog"]');
    expect(dialog?.getAttribute('aria-modal')).toBe('true');
    const title = document.getElementById(dialog!.getAttribute('aria-labelledby')!);
    expect(title?.textContent).toContain('Remove Cleo?');
    const confirm = [...dialog!.querySelectorAll('button')].find((b) => b.textContent?.includes('Remove member'))!;
    confirm.click();

    const req = await expectRequest(http, 'DELETE', `/api/workspaces/${WS_ID}/members/u-cleo`);
    req.flush(null, { status: 204, statusText: 'No Content' });
    (await expectRequest(http, 'GET', `/api/workspaces/${WS_ID}/roles`)).flush(ROLES);
    await fixture.whenStable();

    expect(el.textContent).not.toContain('cleo@example.com');
    expect(el.querySelector('[role="status"]')?.textContent).toContain('Cleo was removed.');
  });

  it('cancelling the dialog removes no one', async () => {
    row('Cleo').querySelector<HTMLButtonElement>('button[aria-label="Remove Cleo"]')!.click();
    await settle();
    const dialog = document.querySelector<HTMLElement>('[role="dialog"]')!;
    [...dialog.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Cancel')!.click();
    await settle();
    await fixture.whenStable();

    http.expectNone({ method: 'DELETE' });
    expect(el.textContent).toContain('cleo@example.com');
  });
});
