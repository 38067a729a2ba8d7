import { createHash } from 'node:crypto';
import { CreatedInviteDto, WorkspaceDto, WorkspaceErrorCode } from '@parley/contracts';
import { Person, person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

interface AuditRow {
  action: string;
  outcome: string;
  actor_id: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
}

/** The replay attacks on invite links (issue 10, section 2): each one performed, and shown to do no harm. */
describe.each(databaseModes())('invite links are single use (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let owner: Person;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ mode, env: { SMTP_URL: sink.url, RATE_LIMIT_CODE_PER_IP: '1000', RATE_LIMIT_VERIFY_PER_IP: '1000' } });
    owner = await person(t.url, sink, 'Olga');
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  const invite = async (ws: WorkspaceDto, who: Person, builtIn: 'admin' | 'member' = 'member'): Promise<CreatedInviteDto> =>
    (await owner.post(`/api/workspaces/${ws.id}/invites`, { email: who.email, roleId: await owner.roleId(ws.id, builtIn) }).expect(201))
      .body as CreatedInviteDto;

  const isMember = async (ws: WorkspaceDto, who: Person): Promise<boolean> =>
    ((await t.dataSource.query('SELECT 1 FROM workspace_members WHERE workspace_id = $1 AND user_id = $2', [ws.id, who.id])) as unknown[])
      .length > 0;

  const acceptEvents = (ws: WorkspaceDto, who: Person): Promise<AuditRow[]> =>
    t.dataSource.query(
      `SELECT action, outcome, actor_id, target_id, details FROM audit_events
        WHERE workspace_id = $1 AND action = 'invite.accept' AND actor_id = $2 ORDER BY seq`,
      [ws.id, who.id],
    );

  it('an accepted invite cannot bring back a removed member, however often it is replayed, and the refusals are audited', async () => {
    const ws = await owner.createWorkspace('Replay');
    const eve = await person(t.url, sink, 'Eve');
    const link = await invite(ws, eve, 'admin');
    expect((await eve.post(`/api/invites/${link.token}/accept`).expect(200)).body).toMatchObject({ id: ws.id, role: { builtIn: 'admin' } });

    for (let round = 0; round < 3; round++) {
      if (await isMember(ws, eve)) await owner.delete(`/api/workspaces/${ws.id}/members/${eve.id}`).expect(204);
      const replay = await eve.post(`/api/invites/${link.token}/accept`).expect(410);
      expect(replay.body).toMatchObject({ statusCode: 410, code: WorkspaceErrorCode.InviteUsed });
      expect(await isMember(ws, eve)).toBe(false);
      await eve.get(`/api/workspaces/${ws.id}`).expect(404);
    }
    // The preview says the same, so the web app shows "used" rather than a join button.
    expect((await eve.get(`/api/invites/${link.token}`).expect(410)).body.code).toBe(WorkspaceErrorCode.InviteUsed);

    const events = await acceptEvents(ws, eve);
    expect(events.map((e) => e.outcome)).toEqual(['success', 'failure', 'failure', 'failure']);
    for (const refused of events.slice(1)) {
      expect(refused.target_id).toBe(ws.id);
      expect(refused.details).toMatchObject({ inviteId: link.id, status: 410, errorCode: WorkspaceErrorCode.InviteUsed });
    }

    // Removal is final until a new invite: that one works, once.
    const again = await invite(ws, eve);
    expect((await eve.post(`/api/invites/${again.token}/accept`).expect(200)).body).toMatchObject({ role: { builtIn: 'member' } });
    await eve.post(`/api/invites/${again.token}/accept`).expect(410);
  });

  it('expiry is checked first: a used invite 30 days past its expiry answers INVITE_EXPIRED and adds nobody', async () => {
    const ws = await owner.createWorkspace('Stale');
    const finn = await person(t.url, sink, 'Finn');
    const link = await invite(ws, finn, 'admin');
    await finn.post(`/api/invites/${link.token}/accept`).expect(200);
    await owner.delete(`/api/workspaces/${ws.id}/members/${finn.id}`).expect(204);
    await t.dataSource.query(`UPDATE invites SET expires_at = now() - interval '30 days' WHERE id = $1`, [link.id]);

    const replay = await finn.post(`/api/invites/${link.token}/accept`).expect(410);
    expect(replay.body.code).toBe(WorkspaceErrorCode.InviteExpired);
    expect(await isMember(ws, finn)).toBe(false);
    expect((await acceptEvents(ws, finn)).at(-1)).toMatchObject({ outcome: 'failure', details: expect.objectContaining({ errorCode: WorkspaceErrorCode.InviteExpired }) });
  });

  it('revoking a used invite is a clear conflict, revoking twice is harmless, and a revoked link adds nobody', async () => {
    const ws = await owner.createWorkspace('Revoke');
    const gus = await person(t.url, sink, 'Gus');
    const used = await invite(ws, gus);
    await gus.post(`/api/invites/${used.token}/accept`).expect(200);
    const refused = await owner.delete(`/api/workspaces/${ws.id}/invites/${used.id}`).expect(409);
    expect(refused.body).toMatchObject({ statusCode: 409, code: WorkspaceErrorCode.InviteUsed });

    const hana = await person(t.url, sink, 'Hana');
    const pending = await invite(ws, hana);
    await owner.delete(`/api/workspaces/${ws.id}/invites/${pending.id}`).expect(204);
    await owner.delete(`/api/workspaces/${ws.id}/invites/${pending.id}`).expect(204);
    await hana.post(`/api/invites/${pending.token}/accept`).expect(404);
    expect(await isMember(ws, hana)).toBe(false);
    await owner.delete(`/api/workspaces/${ws.id}/invites/00000000-0000-4000-8000-000000000000`).expect(404);
  });

  it('two accepts of one link at once: exactly one joins, the other is refused as used', async () => {
    const ws = await owner.createWorkspace('Race');
    const ida = await person(t.url, sink, 'Ida');
    const link = await invite(ws, ida);
    const answers = await Promise.all(Array.from({ length: 4 }, () => ida.post(`/api/invites/${link.token}/accept`)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 410, 410, 410]);
    const rows: { n: number }[] = await t.dataSource.query('SELECT count(*)::int AS n FROM workspace_members WHERE workspace_id = $1', [ws.id]);
    expect(rows[0].n).toBe(2);
  });

  it('an invite still pending when the person is removed is revoked with the removal', async () => {
    const ws = await owner.createWorkspace('Leftover');
    const jo = await person(t.url, sink, 'Jo');
    await owner.invite(ws.id, jo);
    // A pending invite for someone who is a member cannot be made through the API; one left over
    // from before (or made by a race with the accept) is put in directly.
    const token = 'leftover-token-' + Date.now();
    await t.dataSource.query(
      `INSERT INTO invites (workspace_id, email, role_id, token_hash, invited_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + interval '7 days')`,
      [ws.id, jo.email, await owner.roleId(ws.id, 'admin'), createHash('sha256').update(token).digest('hex'), owner.id],
    );
    await owner.delete(`/api/workspaces/${ws.id}/members/${jo.id}`).expect(204);
    await jo.post(`/api/invites/${token}/accept`).expect(404);
    expect(await isMember(ws, jo)).toBe(false);
  });
});
