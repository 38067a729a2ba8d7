import { MemberDto, PresenceDto, UserSearchResultDto, WorkspaceDto } from '@parley/contracts';
import { Person, person } from './support/api-client';
import { call, collect, eventually, sleep } from './support/sockets';
import { socketsPerTest } from './support/suites';
import { SmtpSink } from './support/smtp-sink';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

/** Issue 10, section 2: a guest must not learn who else is in the workspace beyond the people in their channels. */
describe.each(databaseModes())('guests see only people who share a channel with them (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let ana: Person, bruno: Person, carla: Person, gus: Person, dana: Person;
  let ws: WorkspaceDto;
  const { open } = socketsPerTest(() => t.url);

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ mode, env: { SMTP_URL: sink.url, RATE_LIMIT_CODE_PER_IP: '1000', RATE_LIMIT_VERIFY_PER_IP: '1000' } });
    [ana, bruno, carla, gus, dana] = [
      await person(t.url, sink, 'Ana Owner'),
      await person(t.url, sink, 'Bruno Hidden'),
      await person(t.url, sink, 'Carla Shared'),
      await person(t.url, sink, 'Gus Guest'),
      await person(t.url, sink, 'Dana Elsewhere'),
    ];
    ws = await ana.createWorkspace('Guarded');
    await ana.invite(ws.id, bruno);
    await ana.invite(ws.id, carla);
    await ana.invite(ws.id, gus, await ana.roleId(ws.id, 'guest'));
    const project = await ana.createChannel(ws.id, 'project', 'private');
    await ana.post(`/api/channels/${project.id}/members`, { userIds: [gus.id, carla.id] }).expect(200);
    await ana.post(`/api/channels/${project.id}/leave`).expect(204);
    // In another workspace Gus is an ordinary member and sees everyone there.
    const other = await dana.createWorkspace('Open');
    await dana.invite(other.id, gus);
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  const search = async (who: Person, q: string): Promise<string[]> =>
    ((await who.get('/api/users/search').query({ q }).expect(200)).body as UserSearchResultDto[]).map((u) => u.id);

  it('GET /api/users/search: a guest finds the people of their channels, not the rest of the workspace', async () => {
    expect(await search(gus, 'carla')).toEqual([carla.id]);
    expect(await search(gus, 'bruno')).toEqual([]);
    expect(await search(gus, 'ana')).toEqual([]);
    expect(await search(gus, bruno.email.slice(0, 8))).toEqual([]);
    // Where Gus is a member, not a guest, everyone is found.
    expect(await search(gus, 'dana')).toEqual([dana.id]);
    // Members of the workspace still find everyone, the guest included.
    expect((await search(bruno, 'gus')).sort()).toEqual([gus.id]);
    expect(await search(bruno, 'carla')).toEqual([carla.id]);
  });

  it('GET /api/workspaces/:id/presence: a guest sees the presence of the people of their channels only', async () => {
    const seen = ((await gus.get(`/api/workspaces/${ws.id}/presence`).expect(200)).body as PresenceDto[]).map((p) => p.userId).sort();
    expect(seen).toEqual([carla.id, gus.id].sort());
    const everyone = ((await bruno.get(`/api/workspaces/${ws.id}/presence`).expect(200)).body as PresenceDto[]).map((p) => p.userId).sort();
    expect(everyone).toEqual([ana.id, bruno.id, carla.id, gus.id].sort());
    // The member list agrees with presence.
    const members = ((await gus.get(`/api/workspaces/${ws.id}/members`).expect(200)).body as MemberDto[]).map((m) => m.userId).sort();
    expect(members).toEqual(seen);
  });

  it('statusUpdate: a guest hears the presence of the people of their channels only; made a member, everyone\'s; made a guest again, no longer', async () => {
    const [g, a, b, c] = [await open(gus), await open(ana), await open(bruno), await open(carla)];
    const heardByGus = collect(g, 'statusUpdate');
    const heardByAna = collect(a, 'statusUpdate');
    const statusesOf = (heard: typeof heardByGus, who: Person) => heard.filter((u) => u.userId === who.id).map((u) => u.status);
    // The guest's own changes reach everyone who may see him: Ana (a member) and Carla (his channel).
    const heardByCarla = collect(c, 'statusUpdate');
    expect(await call(g, 'setStatus', { status: 'away' })).toMatchObject({ ok: true });
    await eventually(() => expect(statusesOf(heardByAna, gus)).toContain('away'));
    await eventually(() => expect(statusesOf(heardByCarla, gus)).toContain('away'));

    expect(await call(b, 'setStatus', { status: 'dnd' })).toMatchObject({ ok: true });
    expect(await call(c, 'setStatus', { status: 'dnd' })).toMatchObject({ ok: true });
    await eventually(() => expect(statusesOf(heardByAna, bruno)).toContain('dnd'));
    await eventually(() => expect(statusesOf(heardByAna, carla)).toContain('dnd'));
    await eventually(() => expect(statusesOf(heardByGus, carla)).toContain('dnd'));
    await sleep(200);
    expect(statusesOf(heardByGus, bruno)).toEqual([]);
    expect(statusesOf(heardByGus, ana)).toEqual([]);

    // Made a member, Gus hears everyone at once (his connected socket moves into the presence room).
    await ana.patch(`/api/workspaces/${ws.id}/members/${gus.id}`, { roleId: await ana.roleId(ws.id, 'member') }).expect(200);
    expect(await call(b, 'setStatus', { status: 'away' })).toMatchObject({ ok: true });
    await eventually(() => expect(statusesOf(heardByGus, bruno)).toEqual(['away']));

    // A guest again: Bruno's next change does not reach him (Carla's still does).
    await ana.patch(`/api/workspaces/${ws.id}/members/${gus.id}`, { roleId: await ana.roleId(ws.id, 'guest') }).expect(200);
    expect(await call(b, 'setStatus', { status: 'online' })).toMatchObject({ ok: true });
    expect(await call(c, 'setStatus', { status: 'online' })).toMatchObject({ ok: true });
    await eventually(() => expect(statusesOf(heardByAna, bruno)).toContain('online'));
    await eventually(() => expect(statusesOf(heardByGus, carla)).toContain('online'));
    await sleep(200);
    expect(statusesOf(heardByGus, bruno)).toEqual(['away']);
  });
});
