import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ALL_PERMISSIONS, PLANNED_PERMISSIONS, Permission, type RoleDto } from '@parley/contracts';

import { AdminContext } from '../admin-context';
import { ADMIN_PERMS, CATALOGUE, ROLES, WS_ID, expectRequest, settle, workspace } from '../admin-test-fixtures';
import { RolesPage } from './roles-page';

describe('RolesPage', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<RolesPage>;
  let el: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
    TestBed.inject(AdminContext).set(workspace(ADMIN_PERMS));
    fixture = TestBed.createComponent(RolesPage);
    el = fixture.nativeElement as HTMLElement;
    (await expectRequest(http, 'GET', `/api/workspaces/${WS_ID}/roles`)).flush(ROLES);
    (await expectRequest(http, 'GET', '/api/permissions')).flush(CATALOGUE);
    await fixture.whenStable();
  });

  afterEach(() => {
    document.querySelectorAll('.cdk-overlay-container').forEach((node) => node.remove());
  });

  async function openNewRole(): Promise<HTMLElement> {
    [...el.querySelectorAll('button')].find((b) => b.textContent?.includes('New role'))!.click();
    await settle();
    await fixture.whenStable();
    return document.querySelector<HTMLElement>('[role="dialog"]')!;
  }

  function checkbox(dialog: HTMLElement, permission: string): HTMLInputElement {
    return dialog.querySelector<HTMLInputElement>(`input[type="checkbox"][name="${permission}"]`)!;
  }

  it('lists the roles with their member counts; built-in ones can only be viewed', () => {
    const rows = [...el.querySelectorAll<HTMLTableRowElement>('tbody tr')];
    expect(rows.map((r) => r.cells[0].querySelector('.font-medium')?.textContent?.trim())).toEqual([
      'Owner',
      'Admin',
      'Member',
      'Guest',
    ]);
    expect(rows.every((r) => r.cells[0].textContent?.includes('Built-in'))).toBe(true);
    expect(rows[0].cells[2].textContent?.trim()).toBe('1');
    expect(rows.every((r) => r.querySelector('button')?.textContent?.trim() === 'View')).toBe(true);
  });

  it('creates a role with exactly the permissions ticked', async () => {
    const dialog = await openNewRole();
    expect(dialog.getAttribute('aria-labelledby')).toBeTruthy();
    expect(document.getElementById(dialog.getAttribute('aria-labelledby')!)?.textContent).toContain('New role');

    const name = dialog.querySelector<HTMLInputElement>('#role-name')!;
    name.value = 'Moderator';
    name.dispatchEvent(new Event('input'));
    for (const p of [Permission.MemberRemove, Permission.ChannelManage]) {
      checkbox(dialog, p).click();
    }
    await fixture.whenStable();
    // An Admin lacks workspace.delete, so cannot grant it.
    expect(checkbox(dialog, Permission.WorkspaceDelete).disabled).toBe(true);

    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();

    const req = await expectRequest(http, 'POST', `/api/workspaces/${WS_ID}/roles`);
    // Sent in catalogue order, whatever the order they were ticked in.
    expect(req.request.body).toEqual({ name: 'Moderator', permissions: [Permission.MemberRemove, Permission.ChannelManage] });
    const created: RoleDto = {
      id: 'r-mod',
      workspaceId: WS_ID,
      name: 'Moderator',
      permissions: [Permission.MemberRemove, Permission.ChannelManage],
      builtIn: null,
      memberCount: 0,
      createdAt: '2026-02-01T00:00:00.000Z',
    };
    req.flush(created);
    await settle();
    await fixture.whenStable();

    expect(document.querySelector('[role="dialog"]')).toBeNull();
    const last = [...el.querySelectorAll<HTMLTableRowElement>('tbody tr')].at(-1)!;
    expect(last.cells[0].textContent).toContain('Moderator');
    expect(last.querySelector('button[aria-label="Edit Moderator"]')).not.toBeNull();
    expect(el.querySelector('[role="status"]')?.textContent).toContain('Created Moderator.');
  });

  it('offers only permissions whose feature exists; the rest say "coming" and cannot be ticked', async () => {
    const dialog = await openNewRole();
    const planned = [Permission.RetentionManage, Permission.LegalHoldManage, Permission.EdiscoveryExport];
    expect([...PLANNED_PERMISSIONS].sort()).toEqual([...planned].sort());
    for (const p of ALL_PERMISSIONS) {
      const box = checkbox(dialog, p);
      const row = box.closest('label')!;
      const describedBy = document.getElementById(box.getAttribute('aria-describedby')!)!;
      if (PLANNED_PERMISSIONS.has(p)) {
        expect(box.disabled, `${p} is not offered`).toBe(true);
        expect(row.querySelector('[data-testid="coming"]')?.textContent?.trim(), `${p} says coming`).toBe('Coming');
        expect(describedBy.textContent).toContain('coming');
      } else {
        expect(row.querySelector('[data-testid="coming"]'), `${p} is not marked coming`).toBeNull();
        // An Admin holds every permission but workspace.delete.
        expect(box.disabled, `${p} is offered`).toBe(p === Permission.WorkspaceDelete);
      }
    }
    // A click on a coming permission changes nothing: it is not sent.
    checkbox(dialog, Permission.RetentionManage).click();
    checkbox(dialog, Permission.AuditRead).click();
    const name = dialog.querySelector<HTMLInputElement>('#role-name')!;
    name.value = 'Auditor';
    name.dispatchEvent(new Event('input'));
    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    const req = await expectRequest(http, 'POST', `/api/workspaces/${WS_ID}/roles`);
    expect(req.request.body).toEqual({ name: 'Auditor', permissions: [Permission.AuditRead] });
  });

  it('lets a coming permission already in a role be taken out, not put back', async () => {
    const custom: RoleDto = {
      id: 'r-legacy',
      workspaceId: WS_ID,
      name: 'Legacy',
      permissions: [Permission.ChannelManage, Permission.RetentionManage],
      builtIn: null,
      memberCount: 1,
      createdAt: '2026-02-01T00:00:00.000Z',
    };
    fixture.componentInstance['roles'].set([...ROLES, custom]);
    await fixture.whenStable();
    el.querySelector<HTMLButtonElement>('button[aria-label="Edit Legacy"]')!.click();
    await settle();
    await fixture.whenStable();
    const dialog = document.querySelector<HTMLElement>('[role="dialog"]')!;
    const box = checkbox(dialog, Permission.RetentionManage);
    expect(box.checked).toBe(true);
    expect(box.disabled).toBe(false);
    box.click();
    await fixture.whenStable();
    expect(box.disabled).toBe(true);
    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    const req = await expectRequest(http, 'PATCH', `/api/workspaces/${WS_ID}/roles/r-legacy`);
    expect(req.request.body).toEqual({ name: 'Legacy', permissions: [Permission.ChannelManage] });
  });

  it('keeps the dialog open and shows a name clash next to the name', async () => {
    const dialog = await openNewRole();
    const name = dialog.querySelector<HTMLInputElement>('#role-name')!;
    name.value = 'Admin';
    name.dispatchEvent(new Event('input'));
    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();

    (await expectRequest(http, 'POST', `/api/workspaces/${WS_ID}/roles`)).flush(
      { statusCode: 409, error: 'Conflict', message: 'There is already a role called "Admin"', code: 'ROLE_NAME_TAKEN' },
      { status: 409, statusText: 'Conflict' },
    );
    await fixture.whenStable();

    expect(dialog.querySelector('#role-name-error')?.textContent).toContain('There is already a role called "Admin".');
    expect(name.getAttribute('aria-invalid')).toBe('true');
  });

  it('asks for a name before sending anything', async () => {
    const dialog = await openNewRole();
    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await fixture.whenStable();

    expect(dialog.querySelector('#role-name-error')?.textContent).toContain('Give the role a name.');
    http.expectNone({ method: 'POST' });
  });
});
