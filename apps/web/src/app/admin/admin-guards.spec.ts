import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, RouterOutlet, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { BUILT_IN_ROLE_PERMISSIONS, Permission } from '@parley/contracts';

import { AdminContext } from './admin-context';
import { adminGuard, adminSectionGuard } from './admin-guards';
import { ADMIN_PERMS, WS_ID, expectRequest, workspace } from './admin-test-fixtures';

@Component({ selector: 'app-test-console', template: 'console <router-outlet />', imports: [RouterOutlet] })
class Console {}

@Component({ selector: 'app-test-denied', template: 'denied' })
class Denied {}

@Component({ selector: 'app-test-section', template: 'section' })
class Section {}

describe('adminGuard', () => {
  let http: HttpTestingController;
  let router: Router;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([
          { path: 'w/:workspaceId/admin/denied', component: Denied },
          {
            path: 'w/:workspaceId/admin',
            canActivate: [adminGuard],
            component: Console,
            children: [
              { path: 'members', canActivate: [adminSectionGuard('members')], component: Section },
              { path: 'invites', canActivate: [adminSectionGuard('invites')], component: Section },
            ],
          },
        ]),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
  });

  async function visit(url: string, answer: { permissions: Permission[] } | { status: number }): Promise<void> {
    const harness = await RouterTestingHarness.create();
    const navigation = harness.navigateByUrl(url);
    const req = await expectRequest(http, 'GET', `/api/workspaces/${WS_ID}`);
    if ('permissions' in answer) req.flush(workspace(answer.permissions));
    else
      req.flush(
        { statusCode: answer.status, error: 'Nope', message: 'Nope', code: 'NOT_FOUND' },
        { status: answer.status, statusText: 'Nope' },
      );
    await navigation;
  }

  it('lets an admin in and shares the workspace with the console', async () => {
    await visit(`/w/${WS_ID}/admin`, { permissions: [...ADMIN_PERMS] });

    expect(router.url).toBe(`/w/${WS_ID}/admin`);
    const context = TestBed.inject(AdminContext);
    expect(context.workspace()?.name).toBe('Acme');
    expect(context.sections().map((s) => s.path)).toEqual(['members', 'roles', 'invites', 'audit', 'settings']);
    http.verify();
  });

  it('keeps out a guest, whose role holds no admin permission', async () => {
    await visit(`/w/${WS_ID}/admin`, { permissions: [...BUILT_IN_ROLE_PERMISSIONS.guest] });

    expect(router.url).toBe(`/w/${WS_ID}/admin/denied?reason=forbidden`);
    expect(TestBed.inject(AdminContext).workspace()).toBeNull();
  });

  it('keeps out a member whose role only lets them chat', async () => {
    await visit(`/w/${WS_ID}/admin`, {
      permissions: [Permission.ChannelCreatePublic, Permission.ChannelBrowse, Permission.DmCreate],
    });

    expect(router.url).toBe(`/w/${WS_ID}/admin/denied?reason=forbidden`);
  });

  it('says "not found" when the workspace is not one of yours (404)', async () => {
    await visit(`/w/${WS_ID}/admin`, { status: 404 });

    expect(router.url).toBe(`/w/${WS_ID}/admin/denied?reason=not-found`);
  });

  it('sends someone who may only invite from Members to Invites', async () => {
    await visit(`/w/${WS_ID}/admin/members`, { permissions: [Permission.MemberInvite, Permission.ChannelBrowse] });

    expect(router.url).toBe(`/w/${WS_ID}/admin/invites`);
    // The redirect's own navigation reuses the workspace just loaded.
    http.verify();
  });

  it('fetches the workspace again on a later visit (permissions may have changed)', async () => {
    await visit(`/w/${WS_ID}/admin`, { permissions: [...ADMIN_PERMS] });
    const context = TestBed.inject(AdminContext);
    context.set(context.workspace()!, Date.now() - 60_000);
    await router.navigateByUrl('/');
    const navigation = router.navigateByUrl(`/w/${WS_ID}/admin`);
    (await expectRequest(http, 'GET', `/api/workspaces/${WS_ID}`)).flush(workspace([]));
    await navigation;

    expect(router.url).toBe(`/w/${WS_ID}/admin/denied?reason=forbidden`);
  });
});
