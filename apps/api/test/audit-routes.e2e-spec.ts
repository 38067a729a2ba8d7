import { AUDIT_ACTIONS } from '@parley/contracts';
import { AUDITED, NOT_AUDITED } from '@api/audit/audited.decorator';
import { AuditRoutes, MUTATING_METHODS } from '@api/audit/audit-routes';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

/**
 * "No controller may forget it": every route that changes state names its audit action with
 * @Audited, or says with @NotAudited why it leaves no event. (An undecorated one would still be
 * logged, as `POST /api/...`, but nobody could search the log for it by a stable name.)
 */
describe('audited routes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ mode: databaseModes()[0] });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('gives every mutating controller route an @Audited action', () => {
    const handlers = t.app.get(AuditRoutes).handlers();
    const mutating = handlers.filter((h) => MUTATING_METHODS.has(h.method) || h.method === 'ALL');
    expect(mutating.length).toBeGreaterThan(5);
    const name = (h: (typeof handlers)[number]) => `${h.method} ${h.path} (${h.controller.name}.${h.methodName})`;
    const missing = mutating
      .filter(
        (h) => Reflect.getMetadata(AUDITED, h.handler) === undefined && Reflect.getMetadata(NOT_AUDITED, h.handler) === undefined,
      )
      .map(name);
    expect(missing).toEqual([]);
    // The rule, made explicit: the flow of conversation (sends, read marks, following threads,
    // reactions, pins and forwards, which is a send) is not audited, on REST as on the socket;
    // everything else that changes state is. A new exception shows up here as a diff.
    expect(mutating.filter((h) => Reflect.getMetadata(NOT_AUDITED, h.handler) !== undefined).map(name)).toEqual([
      'POST /channels/:id/messages (MessagesController.send)',
      'POST /channels/:id/read (MessagesController.markRead)',
      'PUT /messages/:id/follow (ThreadsController.follow)',
      'DELETE /messages/:id/follow (ThreadsController.unfollow)',
      'POST /messages/:id/replies/read (ThreadsController.markRead)',
      'PUT /messages/:id/reactions/:emoji (MessageMarksController.react)',
      'DELETE /messages/:id/reactions/:emoji (MessageMarksController.unreact)',
      'PUT /messages/:id/pin (MessageMarksController.pin)',
      'DELETE /messages/:id/pin (MessageMarksController.unpin)',
      'POST /messages/:id/forward (MessageMarksController.forward)',
      'POST /channels/:id/files (FilesController.upload)',
    ]);
  });

  it('names exactly the actions the contracts list (what the audit page offers to filter by)', () => {
    const named = new Set(
      t.app
        .get(AuditRoutes)
        .handlers()
        .map((h) => (Reflect.getMetadata(AUDITED, h.handler) as { action: string } | undefined)?.action)
        .filter((action): action is string => action !== undefined),
    );
    expect([...named].sort()).toEqual([...AUDIT_ACTIONS].sort());
  });

  it('resolves every mutating route the server answers to its controller method, for the requests guards refuse', () => {
    const routes = t.app.get(AuditRoutes);
    const handlers = routes.handlers().filter((h) => MUTATING_METHODS.has(h.method));
    const resolved = routes.expressRoutes().filter(({ method, route }) => MUTATING_METHODS.has(method) && routes.lookup(route));
    expect(resolved.map(({ method, route }) => `${method} ${String(route.path)}`).sort()).toEqual(
      handlers.map((h) => `${h.method} /api${h.path}`).sort(),
    );
    const find = (method: string, path: string) =>
      routes.lookup(resolved.find((r) => r.method === method && r.route.path === path)?.route);
    expect(find('POST', '/api/auth/verify')).toEqual({
      action: 'auth.sign_in',
      targetType: 'user',
      targetParam: 'id',
      targetFromResponse: false,
      audited: true,
      isPublic: true,
      scoped: false,
    });
    expect(find('PATCH', '/api/users/me')).toMatchObject({ action: 'user.update', isPublic: false, scoped: false });
    expect(find('DELETE', '/api/workspaces/:id/roles/:roleId')).toMatchObject({ isPublic: false, scoped: true });
  });
});
