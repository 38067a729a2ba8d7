import { ChannelDto, ChannelErrorCode, CommonErrorCode, MemberDto, Permission, RoleDto, WorkspaceDto, WorkspaceErrorCode } from '@parley/contracts';
import { Person, person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

describe.each(databaseModes())('workspaces, members, invites, roles, channels and DMs (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let ana: Person;
  let bruno: Person;
  let carla: Person;
  let dana: Person;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ mode, env: { SMTP_URL: sink.url, RATE_LIMIT_CODE_PER_IP: '1000', RATE_LIMIT_VERIFY_PER_IP: '1000' } });
    [ana, bruno, carla, dana] = [await person(t.url, sink, 'Ana'), await person(t.url, sink, 'Bruno'), await person(t.url, sink, 'Carla'), await person(t.url, sink, 'Dana')];
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('creates a workspace with its Owner, the built-in roles and #general', async () => {
    const ws = await ana.createWorkspace('Acme');
    expect(ws).toMatchObject({ name: 'Acme', role: { name: 'Owner', builtIn: 'owner' } });
    expect(ws.permissions).toContain(Permission.WorkspaceDelete);
    expect((await ana.roles(ws.id)).map((r) => [r.name, r.builtIn, r.memberCount])).toEqual([
      ['Owner', 'owner', 1],
      ['Admin', 'admin', 0],
      ['Member', 'member', 0],
      ['Guest', 'guest', 0],
    ]);
    const channels = (await ana.get(`/api/workspaces/${ws.id}/channels`).expect(200)).body as ChannelDto[];
    expect(channels).toEqual([expect.objectContaining({ name: 'general', type: 'public', member: true, memberCount: 1 })]);
    expect(((await ana.get('/api/workspaces').expect(200)).body as WorkspaceDto[]).map((w) => w.id)).toContain(ws.id);
    await ana.post('/api/workspaces', { name: '' }).expect(400);
  });

  it('invites by email: the link is mailed, works once for that address only, and expires', async () => {
    const ws = await ana.createWorkspace('Invites');
    const invite = (await ana.post(`/api/workspaces/${ws.id}/invites`, { email: bruno.email.toUpperCase() }).expect(201)).body;
    expect(invite).toMatchObject({ email: bruno.email, role: { builtIn: 'member' }, acceptUrl: expect.stringContaining(`/invite/${invite.token}`) });
    const mail = await sink.waitForMail(bruno.email, (m) => m.subject.includes('invited you'));
    expect(mail.subject).toBe('Ana invited you to Invites on Parley');
    expect(mail.text).toContain(invite.acceptUrl);
    expect(((await ana.get(`/api/workspaces/${ws.id}/invites`).expect(200)).body as unknown[]).length).toBe(1);

    const wrongPerson = await carla.post(`/api/invites/${invite.token}/accept`).expect(403);
    expect(wrongPerson.body.code).toBe(WorkspaceErrorCode.InviteEmailMismatch);
    expect((await bruno.get(`/api/invites/${invite.token}`).expect(200)).body).toMatchObject({ workspaceName: 'Invites', invitedByName: 'Ana' });
    const joined = (await bruno.post(`/api/invites/${invite.token}/accept`).expect(200)).body as WorkspaceDto;
    expect(joined).toMatchObject({ id: ws.id, role: { builtIn: 'member' } });
    expect((await bruno.post(`/api/invites/${invite.token}/accept`).expect(410)).body.code).toBe(WorkspaceErrorCode.InviteUsed);
    // New members land in #general.
    const general = ((await bruno.get(`/api/workspaces/${ws.id}/channels`).expect(200)).body as ChannelDto[]).find((c) => c.name === 'general')!;
    expect(general.member).toBe(true);
    expect(((await ana.get(`/api/workspaces/${ws.id}/invites`).expect(200)).body as unknown[]).length).toBe(0);
    const again = await ana.post(`/api/workspaces/${ws.id}/invites`, { email: bruno.email }).expect(409);
    expect(again.body.code).toBe(WorkspaceErrorCode.AlreadyMember);

    const revoked = (await ana.post(`/api/workspaces/${ws.id}/invites`, { email: carla.email }).expect(201)).body;
    await ana.delete(`/api/workspaces/${ws.id}/invites/${revoked.id}`).expect(204);
    await carla.post(`/api/invites/${revoked.token}/accept`).expect(404);

    const expired = (await ana.post(`/api/workspaces/${ws.id}/invites`, { email: carla.email }).expect(201)).body;
    await t.dataSource.query(`UPDATE invites SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expired.id]);
    expect((await carla.post(`/api/invites/${expired.token}/accept`).expect(410)).body.code).toBe(WorkspaceErrorCode.InviteExpired);
    await carla.post('/api/invites/not-a-real-token/accept').expect(404);
  });

  it('keeps at least one active Owner', async () => {
    const ws = await ana.createWorkspace('Owners');
    const ownerRole = await ana.roleId(ws.id, 'owner');
    const memberRole = await ana.roleId(ws.id, 'member');
    await ana.invite(ws.id, bruno, memberRole);

    expect((await ana.patch(`/api/workspaces/${ws.id}/members/${ana.id}`, { roleId: memberRole }).expect(409)).body.code).toBe(WorkspaceErrorCode.LastOwner);
    expect((await ana.delete(`/api/workspaces/${ws.id}/members/${ana.id}`).expect(409)).body.code).toBe(WorkspaceErrorCode.LastOwner);

    await ana.patch(`/api/workspaces/${ws.id}/members/${bruno.id}`, { roleId: ownerRole }).expect(200);
    await ana.patch(`/api/workspaces/${ws.id}/members/${ana.id}`, { roleId: memberRole }).expect(200);
    // Bruno is now the only Owner: he cannot be deactivated, and cannot leave.
    expect((await bruno.delete(`/api/workspaces/${ws.id}/members/${bruno.id}`).expect(409)).body.code).toBe(WorkspaceErrorCode.LastOwner);
    const members = (await bruno.get(`/api/workspaces/${ws.id}/members`).expect(200)).body as MemberDto[];
    expect(members.map((m) => [m.displayName, m.role.name, m.state])).toEqual([
      ['Ana', 'Member', 'active'],
      ['Bruno', 'Owner', 'active'],
    ]);
    // A member may leave.
    await ana.delete(`/api/workspaces/${ws.id}/members/${ana.id}`).expect(204);
    await ana.get(`/api/workspaces/${ws.id}`).expect(404);
  });

  it('custom roles: made of catalogue permissions, never above the maker, not deletable while in use', async () => {
    const ws = await ana.createWorkspace('Roles');
    await ana.invite(ws.id, bruno, await ana.roleId(ws.id, 'admin'));
    const catalogue = (await ana.get('/api/permissions').expect(200)).body as { name: string }[];
    expect(catalogue.map((p) => p.name)).toContain('audit.read');

    await ana.post(`/api/workspaces/${ws.id}/roles`, { name: 'Bad', permissions: ['no.such.permission'] }).expect(400);
    const above = await bruno.post(`/api/workspaces/${ws.id}/roles`, { name: 'Deleter', permissions: [Permission.WorkspaceDelete] }).expect(403);
    expect(above.body.code).toBe(WorkspaceErrorCode.RoleAboveYours);

    const role = (await bruno.post(`/api/workspaces/${ws.id}/roles`, { name: 'Private only', permissions: [Permission.ChannelCreatePrivate] }).expect(201)).body as RoleDto;
    expect((await bruno.post(`/api/workspaces/${ws.id}/roles`, { name: 'Private only', permissions: [] }).expect(409)).body.code).toBe(WorkspaceErrorCode.RoleNameTaken);
    await ana.invite(ws.id, carla, role.id);
    await carla.post(`/api/workspaces/${ws.id}/channels`, { name: 'mine', visibility: 'private' }).expect(201);
    await carla.post(`/api/workspaces/${ws.id}/channels`, { name: 'ours', visibility: 'public' }).expect(403);

    expect((await ana.delete(`/api/workspaces/${ws.id}/roles/${role.id}`).expect(409)).body.code).toBe(WorkspaceErrorCode.RoleInUse);
    const builtIn = await ana.delete(`/api/workspaces/${ws.id}/roles/${await ana.roleId(ws.id, 'guest')}`).expect(409);
    expect(builtIn.body.code).toBe(WorkspaceErrorCode.RoleBuiltIn);
    await ana.patch(`/api/workspaces/${ws.id}/members/${carla.id}`, { roleId: await ana.roleId(ws.id, 'member') }).expect(200);
    await ana.patch(`/api/workspaces/${ws.id}/roles/${role.id}`, { name: 'Renamed', permissions: [] }).expect(200);
    await ana.delete(`/api/workspaces/${ws.id}/roles/${role.id}`).expect(204);
    // An Admin cannot demote the Owner.
    expect((await bruno.patch(`/api/workspaces/${ws.id}/members/${ana.id}`, { roleId: await ana.roleId(ws.id, 'member') }).expect(403)).body.code).toBe(
      WorkspaceErrorCode.RoleAboveYours,
    );
  });

  it('DMs: one conversation per set of people, visible only to them', async () => {
    const ws = await ana.createWorkspace('Talk');
    for (const p of [bruno, carla, dana]) await ana.invite(ws.id, p);
    const first = (await ana.post(`/api/workspaces/${ws.id}/dms`, { userIds: [bruno.id] }).expect(200)).body as ChannelDto;
    const again = (await bruno.post(`/api/workspaces/${ws.id}/dms`, { userIds: [ana.id] }).expect(200)).body as ChannelDto;
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ type: 'dm', name: null, memberCount: 2, dmUserIds: [ana.id, bruno.id].sort() });

    const group = (await ana.post(`/api/workspaces/${ws.id}/dms`, { userIds: [carla.id, bruno.id] }).expect(200)).body as ChannelDto;
    const sameGroup = (await carla.post(`/api/workspaces/${ws.id}/dms`, { userIds: [bruno.id, ana.id, carla.id] }).expect(200)).body as ChannelDto;
    expect(sameGroup.id).toBe(group.id);
    expect(group.type).toBe('group_dm');

    // Concurrent requests for the same pair still make one conversation.
    const racing = await Promise.all([0, 1, 2, 3].map((i) => (i % 2 ? carla : dana).post(`/api/workspaces/${ws.id}/dms`, { userIds: [i % 2 ? dana.id : carla.id] })));
    expect(new Set(racing.map((r) => r.status))).toEqual(new Set([200]));
    expect(new Set(racing.map((r) => r.body.id)).size).toBe(1);

    const brunosList = (await bruno.get(`/api/workspaces/${ws.id}/channels`).expect(200)).body as ChannelDto[];
    expect(brunosList.map((c) => c.id)).toEqual(expect.arrayContaining([first.id, group.id]));
    const danasList = (await dana.get(`/api/workspaces/${ws.id}/channels`).expect(200)).body as ChannelDto[];
    expect(danasList.map((c) => c.id)).not.toContain(first.id);
    await dana.get(`/api/channels/${first.id}`).expect(404);
    await dana.post(`/api/channels/${first.id}/join`).expect(404);

    await ana.post(`/api/workspaces/${ws.id}/dms`, { userIds: [ana.id] }).expect(400);
    const tooMany = Array.from({ length: 8 }, () => crypto.randomUUID());
    await ana.post(`/api/workspaces/${ws.id}/dms`, { userIds: tooMany }).expect(400);
    const stranger = await person(t.url, sink, 'Stranger');
    expect((await ana.post(`/api/workspaces/${ws.id}/dms`, { userIds: [stranger.id] }).expect(400)).body.code).toBe(ChannelErrorCode.NotInWorkspace);
  });

  it('channels: names are validated and unique, archived channels are read-only', async () => {
    const ws = await ana.createWorkspace('Chan');
    await ana.invite(ws.id, bruno);
    for (const name of ['Has Caps', 'has space', '', 'x'.repeat(81), '-dash-first']) {
      const response = await ana.post(`/api/workspaces/${ws.id}/channels`, { name, visibility: 'public' }).expect(400);
      expect(response.body.code).toBe(CommonErrorCode.ValidationFailed);
    }
    await ana.post(`/api/workspaces/${ws.id}/channels`, { name: 'ok', visibility: 'secret' }).expect(400);
    const channel = await ana.createChannel(ws.id, 'design');
    expect((await ana.post(`/api/workspaces/${ws.id}/channels`, { name: 'design', visibility: 'private' }).expect(409)).body.code).toBe(ChannelErrorCode.NameTaken);

    await ana.post(`/api/channels/${channel.id}/archive`).expect(200);
    expect((await ana.patch(`/api/channels/${channel.id}`, { topic: 'x' }).expect(409)).body.code).toBe(ChannelErrorCode.Archived);
    expect((await bruno.post(`/api/channels/${channel.id}/join`).expect(409)).body.code).toBe(ChannelErrorCode.Archived);
    await ana.post(`/api/channels/${channel.id}/unarchive`).expect(200);
    await bruno.post(`/api/channels/${channel.id}/join`).expect(200);
    const renamed = (await ana.patch(`/api/channels/${channel.id}`, { name: 'design-team', topic: 'Pixels' }).expect(200)).body;
    expect(renamed).toMatchObject({ name: 'design-team', topic: 'Pixels', memberCount: 2 });
    await bruno.post(`/api/channels/${channel.id}/leave`).expect(204);
    expect((await ana.get(`/api/channels/${channel.id}`).expect(200)).body.memberCount).toBe(1);
    // Adding someone outside the workspace is refused.
    const stranger = await person(t.url, sink, 'Outsider');
    expect((await ana.post(`/api/channels/${channel.id}/members`, { userIds: [stranger.id] }).expect(400)).body.code).toBe(ChannelErrorCode.NotInWorkspace);
  });

  it('removing a member takes them out of every channel of the workspace', async () => {
    const ws = await ana.createWorkspace('Leaving');
    await ana.invite(ws.id, dana);
    const secret = await ana.createChannel(ws.id, 'secret', 'private');
    await ana.post(`/api/channels/${secret.id}/members`, { userIds: [dana.id] }).expect(200);
    await ana.delete(`/api/workspaces/${ws.id}/members/${dana.id}`).expect(204);
    const rows = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM channel_members cm JOIN channels c ON c.id = cm.channel_id WHERE c.workspace_id = $1 AND cm.user_id = $2`,
      [ws.id, dana.id],
    );
    expect(rows[0].n).toBe(0);
    // Invited back, Dana is in #general again but not in the private channel.
    await ana.invite(ws.id, dana);
    await dana.get(`/api/channels/${secret.id}`).expect(404);
  });

  it('deactivation hides the workspace until reactivation', async () => {
    const ws = await ana.createWorkspace('Pause');
    await ana.invite(ws.id, carla);
    await ana.post(`/api/workspaces/${ws.id}/members/${carla.id}/deactivate`).expect(200);
    await carla.get(`/api/workspaces/${ws.id}`).expect(404);
    const members = (await ana.get(`/api/workspaces/${ws.id}/members`).expect(200)).body as MemberDto[];
    expect(members.find((m) => m.userId === carla.id)?.state).toBe('deactivated');
    await ana.post(`/api/workspaces/${ws.id}/members/${ana.id}/deactivate`).expect(400);
    await ana.post(`/api/workspaces/${ws.id}/members/${carla.id}/reactivate`).expect(200);
    await carla.get(`/api/workspaces/${ws.id}`).expect(200);
  });

  it('user search finds only people who share a workspace', async () => {
    const ws = await ana.createWorkspace('Search');
    const zed = await person(t.url, sink, 'Zed Searchable');
    const loner = await person(t.url, sink, 'Zed Loner');
    await ana.invite(ws.id, zed);
    const found = (await ana.get('/api/users/search').query({ q: 'zed' }).expect(200)).body as { id: string }[];
    expect(found.map((u) => u.id)).toContain(zed.id);
    expect(found.map((u) => u.id)).not.toContain(loner.id);
    const byWord = (await ana.get('/api/users/search').query({ q: 'searchab' }).expect(200)).body as { id: string }[];
    expect(byWord.map((u) => u.id)).toEqual([zed.id]);
    expect((await ana.get('/api/users/search').query({ q: '%' }).expect(200)).body).toEqual([]);
    await ana.get('/api/users/search').expect(400);
  });

  it('updates and deletes a workspace', async () => {
    const ws = await ana.createWorkspace('Temp');
    const updated = (await ana.patch(`/api/workspaces/${ws.id}`, { name: 'Temporary', description: 'Short-lived', settings: { inviteExpiryDays: 2 } }).expect(200)).body;
    expect(updated).toMatchObject({ name: 'Temporary', description: 'Short-lived', settings: { inviteExpiryDays: 2 } });
    await ana.patch(`/api/workspaces/${ws.id}`, { settings: { inviteExpiryDays: 500 } }).expect(400);
    const invite = (await ana.post(`/api/workspaces/${ws.id}/invites`, { email: 'later@example.com' }).expect(201)).body;
    const days = (new Date(invite.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(1.9);
    expect(days).toBeLessThan(2.1);
    await ana.delete(`/api/workspaces/${ws.id}`).expect(204);
    await ana.get(`/api/workspaces/${ws.id}`).expect(404);
    expect(((await ana.get('/api/workspaces').expect(200)).body as WorkspaceDto[]).map((w) => w.id)).not.toContain(ws.id);
  });
});
