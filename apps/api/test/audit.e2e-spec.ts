import { randomUUID } from 'node:crypto';
import {
  AuditCheckpointDto,
  AuditEventDto,
  AuditEventPage,
  AuditVerifyResult,
  AuthErrorCode,
  CommonErrorCode,
  WorkspaceDto,
} from '@parley/contracts';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import request from 'supertest';
import { createHash } from 'node:crypto';
import { AuditCheckpointer } from '@api/audit/audit-checkpointer';
import {
  canonicalContent,
  chainHash,
  checkpointSignature,
  deriveAuditKey,
  GENESIS_HASH,
  legacyChainHash,
} from '@api/audit/audit-hash';
import { EXPORT_BATCH } from '@api/audit/audit-query.service';
import { AuditService, CHECKPOINT_EVERY } from '@api/audit/audit.service';
import { Person, person } from './support/api-client';
import { call, connectSocket, eventually } from './support/sockets';
import { SmtpSink } from './support/smtp-sink';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

interface EventRow {
  id: string;
  workspace_id: string | null;
  seq: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
}

describe.each(databaseModes())('audit log (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let audit: AuditService;
  let owner: Person;
  let member: Person;
  let stranger: Person;
  let ws: WorkspaceDto;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({
      mode,
      env: {
        SMTP_URL: sink.url,
        RATE_LIMIT_CODE_PER_IP: '1000',
        RATE_LIMIT_VERIFY_PER_IP: '1000',
        RATE_LIMIT_SEND_BURST: '1000',
      },
    });
    audit = t.app.get(AuditService);
    owner = await person(t.url, sink, 'Olga');
    member = await person(t.url, sink, 'Mario');
    stranger = await person(t.url, sink, 'Sam');
    ws = await owner.createWorkspace('Audited');
    await owner.invite(ws.id, member);
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  const rows = (where: string, params: unknown[] = []): Promise<EventRow[]> =>
    t.dataSource.query(`SELECT * FROM audit_events WHERE ${where} ORDER BY workspace_id NULLS FIRST, seq`, params);

  const countAll = async (): Promise<number> =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM audit_events'))[0].n as number;

  type RecordInput = Parameters<AuditService['record']>[0];

  /** Appends `count` events to a workspace's chain through the service, `parallel` at a time (in order when 1). */
  async function recordMany(
    workspaceId: string,
    count: number,
    make: (i: number) => Partial<RecordInput> = () => ({}),
    parallel = 1,
  ) {
    for (let i = 0; i < count; i += parallel) {
      await Promise.all(
        Array.from({ length: Math.min(parallel, count - i) }, (_, j) =>
          audit.record({
            workspaceId,
            actorId: owner.id,
            action: 'test.event',
            outcome: 'success',
            details: { i: i + j },
            ...make(i + j),
          }),
        ),
      );
    }
  }

  it('records sign-ins, and failed sign-ins with the email but never the code', async () => {
    const email = `audit-${randomUUID().slice(0, 8)}@example.com`;
    await request(t.url)
      .post('/api/auth/register')
      .set('User-Agent', 'audit-test/1.0')
      .send({ email, displayName: 'Ivy' })
      .expect(202);
    const code = await sink.waitForCode(email, 0);
    const signedIn = await request(t.url)
      .post('/api/auth/verify')
      .set('User-Agent', 'audit-test/1.0')
      .send({ email, code })
      .expect(200);
    const userId = signedIn.body.user.id as string;

    const [requested] = await rows(`action = 'auth.code.request' AND details->>'email' = $1`, [email]);
    expect(requested).toMatchObject({ workspace_id: null, actor_id: null, outcome: 'success', details: { email, status: 202 } });
    const signIns = await rows(`action = 'auth.sign_in' AND actor_id = $1`, [userId]);
    expect(signIns).toEqual([
      expect.objectContaining({
        workspace_id: null,
        outcome: 'success',
        target_type: 'user',
        target_id: userId,
        ip: expect.stringMatching(/127\.0\.0\.1/),
        user_agent: 'audit-test/1.0',
        details: { email, status: 200 },
      }),
    ]);

    await request(t.url).post('/api/auth/login').send({ email }).expect(202);
    const fresh = await sink.waitForCode(email, 1);
    const wrong = fresh === '000000' ? '111111' : '000000';
    const failed = await request(t.url).post('/api/auth/verify').send({ email, code: wrong }).expect(401);
    expect(failed.body.code).toBe(AuthErrorCode.CodeInvalid);

    const failures = await rows(`action = 'auth.sign_in' AND outcome = 'failure' AND details->>'email' = $1`, [email]);
    expect(failures).toEqual([
      expect.objectContaining({
        workspace_id: null,
        actor_id: null,
        details: { email, status: 401, errorCode: AuthErrorCode.CodeInvalid },
      }),
    ]);
    const everything = JSON.stringify(await rows(`details->>'email' = $1`, [email]));
    expect(everything).not.toContain(code);
    expect(everything).not.toContain(fresh);
    expect(everything).not.toContain(signedIn.body.refreshToken);
  });

  it('writes exactly one event per mutating request, before the answer', async () => {
    const before = await countAll();
    await owner.patch('/api/users/me', { statusText: 'auditing' }).expect(200);
    // The answer has arrived: its event is already committed.
    expect(await countAll()).toBe(before + 1);
    const [updated] = await rows(`action = 'user.update' AND actor_id = $1`, [owner.id]);
    expect(updated).toMatchObject({ workspace_id: null, outcome: 'success', target_type: 'user', details: { status: 200 } });

    await owner.patch('/api/users/me', { displayName: '' }).expect(400);
    expect(await countAll()).toBe(before + 2);
    const failed = await rows(`action = 'user.update' AND actor_id = $1 AND outcome = 'failure'`, [owner.id]);
    expect(failed).toEqual([expect.objectContaining({ details: { status: 400, errorCode: CommonErrorCode.ValidationFailed } })]);

    // In a workspace: the event joins the workspace's chain.
    const inWorkspace = (await rows('workspace_id = $1', [ws.id])).length;
    const channel = await owner.createChannel(ws.id, `audited-${randomUUID().slice(0, 6)}`);
    expect(await countAll()).toBe(before + 3);
    const events = await rows('workspace_id = $1', [ws.id]);
    expect(events).toHaveLength(inWorkspace + 1);
    expect(events[events.length - 1]).toMatchObject({
      actor_id: owner.id,
      outcome: 'success',
      details: expect.objectContaining({ status: 201 }),
    });
    expect([ws.id, channel.id]).toContain(events[events.length - 1].target_id);
  });

  it('records refusals: 403 inside the workspace, 404 for a stranger, 401 without a token', async () => {
    const before = await countAll();
    const refused = await member.get(`/api/workspaces/${ws.id}/audit-events`).expect(403);
    expect(refused.body.code).toBe(CommonErrorCode.Forbidden);
    expect(await countAll()).toBe(before + 1);
    const [denied] = await rows(`workspace_id = $1 AND outcome = 'denied' AND actor_id = $2`, [ws.id, member.id]);
    expect(denied).toMatchObject({
      action: 'GET /api/workspaces/:id/audit-events',
      target_id: ws.id,
      details: { status: 403, errorCode: CommonErrorCode.Forbidden },
    });

    // A stranger learns nothing (404), and the attempt is on record outside the workspace.
    await stranger.post(`/api/workspaces/${ws.id}/channels`, { name: 'intrusion', visibility: 'public' }).expect(404);
    expect(await countAll()).toBe(before + 2);
    const [probe] = await rows(`actor_id = $1 AND outcome = 'denied'`, [stranger.id]);
    // The channel was never made, so the event has no target; the action says what was tried.
    expect(probe).toMatchObject({
      workspace_id: null,
      action: 'channel.create',
      target_id: null,
      details: { status: 404, errorCode: CommonErrorCode.NotFound },
    });

    await request(t.url).post(`/api/workspaces/${ws.id}/channels`).send({ name: 'anon', visibility: 'public' }).expect(401);
    expect(await countAll()).toBe(before + 3);
    const [anonymous] = await rows(`actor_id IS NULL AND outcome = 'denied' AND action = $1`, ['channel.create']);
    expect(anonymous).toMatchObject({ workspace_id: null, details: { status: 401, errorCode: AuthErrorCode.TokenMissing } });

    // Reading is not a state change: a stranger's 404 on a GET leaves nothing.
    await stranger.get(`/api/workspaces/${ws.id}/audit-events`).expect(404);
    expect(await countAll()).toBe(before + 3);
  });

  it('verifies the chain, and names the first event altered behind its back', async () => {
    const other = await owner.createWorkspace('Tampered');
    await recordMany(other.id, 5);
    const good = (await owner.get(`/api/workspaces/${other.id}/audit-events/verify`).expect(200)).body as AuditVerifyResult;
    const chain = await rows('workspace_id = $1', [other.id]);
    expect(good).toEqual({ ok: true, checked: chain.length, checkpoints: 0 });
    expect(chain.map((e) => Number(e.seq))).toEqual(chain.map((_, i) => i + 1));
    expect((await owner.get(`/api/workspaces/${ws.id}/audit-events/verify`).expect(200)).body).toMatchObject({ ok: true });

    const victim = chain[2];
    await t.dataSource.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
    try {
      await t.dataSource.query(`UPDATE audit_events SET details = '{"i": 999}' WHERE id = $1`, [victim.id]);
    } finally {
      await t.dataSource.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
    }
    const broken = (await owner.get(`/api/workspaces/${other.id}/audit-events/verify`).expect(200)).body as AuditVerifyResult;
    expect(broken).toEqual({
      ok: false,
      checked: 3,
      firstBrokenId: victim.id,
      problem: 'hash',
      message: 'Event 3 was changed after it was written',
      checkpoints: 0,
    });
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    await expect(t.dataSource.query(`UPDATE audit_events SET action = 'x'`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(t.dataSource.query('DELETE FROM audit_events')).rejects.toThrow(/append-only: DELETE/);
    await expect(t.dataSource.query('TRUNCATE audit_events')).rejects.toThrow(/append-only: TRUNCATE/);
    expect(await countAll()).toBeGreaterThan(0);
  });

  it('lists newest first, filtered, paged by cursor', async () => {
    const listed = await owner.createWorkspace('Listed');
    const alice = randomUUID();
    await recordMany(listed.id, 7, (i) => ({
      actorId: i % 2 ? alice : owner.id,
      action: i < 5 ? 'channel.create' : 'member.role.change',
      targetId: `target-${i % 3}`,
    }));
    const all = await rows('workspace_id = $1', [listed.id]);
    const path = `/api/workspaces/${listed.id}/audit-events`;

    const seqs: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: AuditEventPage = (await owner.get(`${path}?limit=3${cursor ? `&cursor=${cursor}` : ''}`).expect(200)).body;
      seqs.push(...page.items.map((e) => e.seq));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seqs).toEqual(all.map((e) => Number(e.seq)).reverse());
    expect(pages).toBe(Math.ceil(all.length / 3));

    const first = ((await owner.get(`${path}?limit=1`).expect(200)).body as AuditEventPage).items[0];
    expect(first).toEqual({
      id: expect.any(String),
      workspaceId: listed.id,
      seq: all.length,
      // To the microsecond, exactly as the hash covers it.
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      actorId: expect.any(String),
      action: 'member.role.change',
      targetType: null,
      targetId: 'target-0',
      outcome: 'success',
      ip: null,
      userAgent: null,
      details: { i: 6 },
      prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      hashVersion: 2,
    });

    const items = async (query: string) => ((await owner.get(`${path}?${query}`).expect(200)).body as AuditEventPage).items;
    expect((await items(`actorId=${alice}`)).map((e) => e.details.i)).toEqual([5, 3, 1]);
    expect((await items('action=member.role.change')).map((e) => e.details.i)).toEqual([6, 5]);
    expect((await items('targetId=target-1&action=channel.create')).map((e) => e.details.i)).toEqual([4, 1]);

    const times = all.map((e) => (e as unknown as { occurred_at: Date }).occurred_at.toISOString());
    const between = await items(`from=${encodeURIComponent(times[2])}&to=${encodeURIComponent(times[times.length - 1])}`);
    const at = (time: string) => new Date(time).getTime();
    expect(between.every((e) => at(e.occurredAt) >= at(times[2]) && at(e.occurredAt) < at(times[times.length - 1]))).toBe(true);
    expect(between.length).toBeGreaterThan(0);
    expect(await items(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);

    for (const bad of ['limit=0', 'limit=201', 'limit=ten', 'from=yesterday', 'to=2025-13-45', 'actorId=someone', 'cursor=abc']) {
      const refused = await owner.get(`${path}?${bad}`).expect(400);
      expect(refused.body.code).toBe(CommonErrorCode.ValidationFailed);
    }
  });

  it('streams CSV and JSONL exports of thousands of events, and audits each export', async () => {
    const exported = await owner.createWorkspace('Exported');
    const count = EXPORT_BATCH * 4 + 17;
    await recordMany(exported.id, count, (i) => ({ userAgent: i === 7 ? '=HYPERLINK("http://evil")' : 'agent, "quoted"' }), 25);
    const path = `/api/workspaces/${exported.id}/audit-events/export`;

    const csv = await owner.get(`${path}?format=csv`).buffer(true).parse(textParser).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="audit-${exported.id}-\\d{4}-\\d\\d-\\d\\d\\.csv"$`),
    );
    const lines = (csv.body as string).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      'id,workspaceId,seq,occurredAt,actorId,action,targetType,targetId,outcome,ip,userAgent,details,prevHash,hash,hashVersion',
    );
    // The whole chain, the export itself included: it was logged before the first byte left.
    const chain = await rows('workspace_id = $1', [exported.id]);
    expect(chain.length).toBeGreaterThan(count);
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(chain.map((e) => e.id));
    expect(lines[lines.length - 1]).toContain(',audit.export,workspace,');
    expect(lines.filter((line) => line.includes(`,"'=HYPERLINK(""http://evil"")",`))).toHaveLength(1);
    expect(lines.filter((line) => line.includes(',"agent, ""quoted""",'))).toHaveLength(count - 1);

    const jsonl = await owner.get(`${path}?format=jsonl`).buffer(true).parse(textParser).expect(200);
    expect(jsonl.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const parsed = (jsonl.body as string)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEventDto | { checkpoint: AuditCheckpointDto });
    const events = parsed.filter((line): line is AuditEventDto => !('checkpoint' in line));
    const checkpoints = parsed
      .filter((line) => 'checkpoint' in line)
      .map((line) => (line as { checkpoint: AuditCheckpointDto }).checkpoint);
    expect(events).toHaveLength(chain.length + 1);
    // Whoever holds the key can check the whole chain away from Parley...
    const key = deriveAuditKey(t.config.auditKey ?? t.config.jwtSecret);
    let prevHash = GENESIS_HASH;
    for (const event of events) {
      expect(event.prevHash).toBe(prevHash);
      expect(chainHash(key, event.prevHash, event)).toBe(event.hash);
      prevHash = event.hash;
    }
    // ...and, with the signed checkpoints at the end (every CHECKPOINT_EVERY events, and one for this export), that none is missing.
    expect(parsed.slice(events.length).every((line) => 'checkpoint' in line)).toBe(true);
    expect(checkpoints.filter((c) => c.reason === 'count').map((c) => c.eventCount)).toEqual(
      Array.from({ length: Math.floor(events.length / CHECKPOINT_EVERY) }, (_, i) => (i + 1) * CHECKPOINT_EVERY),
    );
    const last = checkpoints[checkpoints.length - 1];
    expect(last).toMatchObject({ reason: 'export', eventCount: events.length, headHash: events[events.length - 1].hash });
    for (const c of checkpoints) expect(checkpointSignature(key, c)).toBe(c.signature);

    const filtered = await owner.get(`${path}?format=jsonl&action=test.event`).buffer(true).parse(textParser).expect(200);
    expect(
      (filtered.body as string)
        .trim()
        .split('\n')
        .filter((line) => !line.startsWith('{"checkpoint"')),
    ).toHaveLength(count);

    const exports = await rows(`workspace_id = $1 AND action = 'audit.export'`, [exported.id]);
    expect(exports).toEqual([
      expect.objectContaining({
        actor_id: owner.id,
        outcome: 'success',
        target_type: 'workspace',
        target_id: exported.id,
        details: { format: 'csv', status: 200 },
      }),
      expect.objectContaining({ details: { format: 'jsonl', status: 200 } }),
      expect.objectContaining({ details: { format: 'jsonl', action: 'test.event', status: 200 } }),
    ]);
    expect((await owner.get(`/api/workspaces/${exported.id}/audit-events/verify`).expect(200)).body).toEqual({
      ok: true,
      checked: chain.length + 2,
      checkpoints: (await audit.checkpoints(exported.id)).length,
    });

    const badFormat = await owner.get(`${path}?format=xml`).expect(400);
    expect(badFormat.body.code).toBe(CommonErrorCode.ValidationFailed);
  });

  describe('verify catches tampering by someone who can write the database but does not hold the key', () => {
    /** Runs raw SQL on the audit tables past their append-only triggers, as a database owner could. */
    async function tamper(sql: string, params: unknown[] = []): Promise<void> {
      await t.dataSource.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
      try {
        await t.dataSource.query(sql, params);
      } finally {
        await t.dataSource.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
      }
    }

    /** A workspace whose chain has its creation and five more events, its head anchored by a checkpoint. */
    async function anchoredChain(): Promise<{
      id: string;
      events: (EventRow & { occurred_at: Date; hash: string; prev_hash: string })[];
    }> {
      const w = await owner.createWorkspace(`Tamper ${randomUUID().slice(0, 6)}`);
      await recordMany(w.id, 5);
      await audit.checkpoint(w.id, 'timer');
      return { id: w.id, events: (await rows('workspace_id = $1', [w.id])) as never };
    }

    const verifyOf = async (id: string) =>
      (await owner.get(`/api/workspaces/${id}/audit-events/verify`).expect(200)).body as AuditVerifyResult;

    /** The hash an attacker can compute: SHA-256 without the key, over the very same canonical content. */
    const unkeyed = (prevHash: string, event: Parameters<typeof canonicalContent>[0]) =>
      createHash('sha256')
        .update(`${prevHash}\n${canonicalContent(event)}`)
        .digest('hex');

    it('an untampered chain verifies, its checkpoint included', async () => {
      const { id, events } = await anchoredChain();
      expect(await verifyOf(id)).toEqual({ ok: true, checked: events.length, checkpoints: 1 });
    });

    it('deleting the newest events', async () => {
      const { id, events } = await anchoredChain();
      await tamper('DELETE FROM audit_events WHERE workspace_id = $1 AND seq > $2', [id, events.length - 2]);
      expect(await verifyOf(id)).toMatchObject({ ok: false, checked: events.length - 2, problem: 'truncated' });
    });

    it('deleting every event of the chain', async () => {
      const { id } = await anchoredChain();
      await tamper('DELETE FROM audit_events WHERE workspace_id = $1', [id]);
      expect(await verifyOf(id)).toMatchObject({ ok: false, checked: 0, problem: 'truncated' });
    });

    it('appending a forged event with a recomputed (unkeyed) hash', async () => {
      const { id, events } = await anchoredChain();
      const head = events[events.length - 1];
      for (const hashVersion of [2, 1]) {
        const forged = {
          id: randomUUID(),
          workspaceId: id,
          seq: events.length + 1,
          occurredAt: '2030-01-01T00:00:00.000000Z',
          actorId: owner.id,
          action: 'member.role.change',
          targetType: 'user',
          targetId: member.id,
          outcome: 'success' as const,
          ip: null,
          userAgent: null,
          details: { to: 'Owner' },
          hashVersion,
        };
        await tamper(
          `INSERT INTO audit_events (id, workspace_id, seq, occurred_at, actor_id, action, target_type, target_id, outcome, details, prev_hash, hash, hash_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [
            forged.id,
            id,
            forged.seq,
            forged.occurredAt,
            forged.actorId,
            forged.action,
            forged.targetType,
            forged.targetId,
            forged.outcome,
            JSON.stringify(forged.details),
            head.hash,
            unkeyed(head.hash, forged),
            hashVersion,
          ],
        );
        expect(await verifyOf(id)).toMatchObject({
          ok: false,
          checked: events.length + 1,
          firstBrokenId: forged.id,
          problem: 'hash',
        });
        await tamper('DELETE FROM audit_events WHERE id = $1', [forged.id]);
      }
    });

    it('altering an event and recomputing every later hash without the key', async () => {
      const { id } = await anchoredChain();
      const exact: (AuditEventDto & { prev_hash: string })[] = (
        await owner.get(`/api/workspaces/${id}/audit-events?limit=200`).expect(200)
      ).body.items.reverse();
      const victim = 2;
      let prevHash = exact[victim - 1].prevHash;
      for (let i = victim - 1; i < exact.length; i += 1) {
        const event = i === victim - 1 ? { ...exact[i], details: { i: 'rewritten' } } : exact[i];
        const hash = unkeyed(prevHash, event);
        await tamper('UPDATE audit_events SET details = $2, prev_hash = $3, hash = $4 WHERE id = $1', [
          event.id,
          JSON.stringify(event.details),
          prevHash,
          hash,
        ]);
        prevHash = hash;
      }
      expect(await verifyOf(id)).toMatchObject({
        ok: false,
        checked: victim,
        firstBrokenId: exact[victim - 1].id,
        problem: 'hash',
      });
    });

    it("changing an event's id", async () => {
      const { id, events } = await anchoredChain();
      const newId = randomUUID();
      await tamper('UPDATE audit_events SET id = $2 WHERE id = $1', [events[3].id, newId]);
      expect(await verifyOf(id)).toMatchObject({ ok: false, checked: 4, firstBrokenId: newId, problem: 'hash' });
    });

    it('shifting an event by one microsecond', async () => {
      const { id, events } = await anchoredChain();
      await tamper(`UPDATE audit_events SET occurred_at = occurred_at + interval '1 microsecond' WHERE id = $1`, [events[2].id]);
      expect(await verifyOf(id)).toMatchObject({ ok: false, checked: 3, firstBrokenId: events[2].id, problem: 'hash' });
    });

    it('events from before keyed chains verify as they were written, and cannot be rewritten once a keyed event follows', async () => {
      const chain = randomUUID();
      // Two events as the code before keyed chains wrote them (unkeyed SHA-256, hash version 1, as the migration marks them).
      const legacy: (Parameters<typeof legacyChainHash>[1] & { prevHash: string; hash: string })[] = [];
      let prevHash = GENESIS_HASH;
      for (const seq of [1, 2]) {
        const content = {
          id: randomUUID(),
          workspaceId: chain,
          seq,
          occurredAt: `2025-11-2${seq}T08:00:00.123000Z`,
          actorId: owner.id,
          action: 'channel.create',
          targetType: null,
          targetId: null,
          outcome: 'success' as const,
          ip: null,
          userAgent: null,
          details: { seq },
          hashVersion: 1,
        };
        const hash = legacyChainHash(prevHash, content);
        await t.dataSource.query(
          `INSERT INTO audit_events (id, workspace_id, seq, occurred_at, actor_id, action, outcome, details, prev_hash, hash, hash_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)`,
          [
            content.id,
            chain,
            seq,
            content.occurredAt,
            owner.id,
            content.action,
            content.outcome,
            JSON.stringify(content.details),
            prevHash,
            hash,
          ],
        );
        legacy.push({ ...content, prevHash, hash });
        prevHash = hash;
      }
      await recordMany(chain, 2);
      expect(await audit.verify(chain)).toEqual({ ok: true, checked: 4, checkpoints: 0 });

      // Rewriting the old events, old-style hashes recomputed, breaks at the first keyed one: its HMAC covers the last old hash.
      const first = { ...legacy[0], details: { seq: 'rewritten' } };
      const firstHash = legacyChainHash(GENESIS_HASH, first);
      const secondHash = legacyChainHash(firstHash, legacy[1]);
      await tamper('UPDATE audit_events SET details = $2, hash = $3 WHERE id = $1', [
        first.id,
        JSON.stringify(first.details),
        firstHash,
      ]);
      await tamper('UPDATE audit_events SET prev_hash = $2, hash = $3 WHERE id = $1', [legacy[1].id, firstHash, secondHash]);
      expect(await audit.verify(chain)).toMatchObject({ ok: false, checked: 3, problem: 'prev_hash' });
    });

    it('a checkpoint written without the key, or one that names a head that is gone', async () => {
      const { id, events } = await anchoredChain();
      const forged = {
        id: randomUUID(),
        workspaceId: id,
        eventCount: 99,
        headHash: 'f'.repeat(64),
        createdAt: '2030-01-01T00:00:00.000000Z',
        reason: 'timer',
      };
      await t.dataSource.query(
        `INSERT INTO audit_checkpoints (id, workspace_id, event_count, head_hash, created_at, reason, signature) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          forged.id,
          id,
          forged.eventCount,
          forged.headHash,
          forged.createdAt,
          forged.reason,
          checkpointSignature(deriveAuditKey('a guess at the key, 32+ chars long'), forged),
        ],
      );
      expect(await verifyOf(id)).toMatchObject({ ok: false, problem: 'checkpoint_signature' });

      const other = await anchoredChain();
      // The newest event swapped for another one, well formed and keyed the same way as before, but not what was anchored.
      await tamper('DELETE FROM audit_events WHERE workspace_id = $1 AND seq = $2', [other.id, other.events.length]);
      await recordMany(other.id, 1);
      expect(await verifyOf(other.id)).toMatchObject({
        ok: false,
        checked: other.events.length,
        problem: 'checkpoint_mismatch',
      });
      expect(events.length).toBe(other.events.length);
    });
  });

  describe('the event is written in the same transaction as the change', () => {
    /**
     * While it exists, every audit insert fails (as a full disk or a broken constraint would make
     * it): into the chain, and into the outbox an action's transaction writes its event to.
     */
    async function refuseAuditInserts<T>(run: () => Promise<T>): Promise<T> {
      await t.dataSource.query(`CREATE OR REPLACE FUNCTION audit_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit insert refused by the test'; END $$`);
      for (const table of ['audit_events', 'audit_outbox']) {
        await t.dataSource.query(
          `CREATE TRIGGER audit_test_refuse BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_test_refuse()`,
        );
      }
      const log = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        return await run();
      } finally {
        log.mockRestore();
        for (const table of ['audit_events', 'audit_outbox'])
          await t.dataSource.query(`DROP TRIGGER audit_test_refuse ON ${table}`);
        await t.dataSource.query('DROP FUNCTION audit_test_refuse()');
      }
    }

    const one = async (sql: string, params: unknown[]) =>
      (await t.dataSource.query(sql, params))[0] as Record<string, unknown> | undefined;

    it('rolls the change back and answers 503 when its event cannot be written, on every kind of change', async () => {
      const channel = await owner.createChannel(ws.id, `kept-${randomUUID().slice(0, 6)}`);
      const before = await countAll();
      const memberRole = await owner.roleId(ws.id, 'member');
      const adminRole = await owner.roleId(ws.id, 'admin');
      const name = `never-${randomUUID().slice(0, 6)}`;
      const attempts: [string, () => Promise<request.Response>, () => Promise<unknown>][] = [
        [
          'create a channel',
          () => owner.post(`/api/workspaces/${ws.id}/channels`, { name, visibility: 'public' }),
          () => one('SELECT 1 FROM channels WHERE name = $1', [name]),
        ],
        [
          'rename a channel',
          () => owner.patch(`/api/channels/${channel.id}`, { name }),
          () => one('SELECT 1 FROM channels WHERE name = $1', [name]),
        ],
        [
          'archive a channel',
          () => owner.post(`/api/channels/${channel.id}/archive`),
          () => one('SELECT 1 FROM channels WHERE id = $1 AND archived_at IS NOT NULL', [channel.id]),
        ],
        [
          'create a workspace',
          () => owner.post('/api/workspaces', { name }),
          () => one('SELECT 1 FROM workspaces WHERE name = $1', [name]),
        ],
        [
          'rename the workspace',
          () => owner.patch(`/api/workspaces/${ws.id}`, { name }),
          () => one('SELECT 1 FROM workspaces WHERE name = $1', [name]),
        ],
        [
          'create a role',
          () => owner.post(`/api/workspaces/${ws.id}/roles`, { name, permissions: [] }),
          () => one('SELECT 1 FROM roles WHERE name = $1', [name]),
        ],
        [
          'invite someone',
          () => owner.post(`/api/workspaces/${ws.id}/invites`, { email: `${name}@example.com` }),
          () => one('SELECT 1 FROM invites WHERE email = $1', [`${name}@example.com`]),
        ],
        [
          'change a role',
          () => owner.patch(`/api/workspaces/${ws.id}/members/${member.id}`, { roleId: adminRole }),
          () => one('SELECT 1 FROM workspace_members WHERE user_id = $1 AND role_id = $2', [member.id, adminRole]),
        ],
        [
          'remove a member',
          () => owner.delete(`/api/workspaces/${ws.id}/members/${member.id}`),
          async () =>
            (await one('SELECT 1 FROM workspace_members WHERE workspace_id = $1 AND user_id = $2', [ws.id, member.id]))
              ? undefined
              : 'removed',
        ],
        [
          'change one’s name',
          () => owner.patch('/api/users/me', { displayName: name }),
          () => one('SELECT 1 FROM users WHERE display_name = $1', [name]),
        ],
        [
          'add someone to a channel',
          () => owner.post(`/api/channels/${channel.id}/members`, { userIds: [member.id] }),
          () => one('SELECT 1 FROM channel_members WHERE channel_id = $1 AND user_id = $2', [channel.id, member.id]),
        ],
        [
          'deactivate a member',
          () => owner.post(`/api/workspaces/${ws.id}/members/${member.id}/deactivate`),
          () => one('SELECT 1 FROM workspace_members WHERE user_id = $1 AND deactivated_at IS NOT NULL', [member.id]),
        ],
        [
          'delete the workspace',
          () => owner.delete(`/api/workspaces/${ws.id}`),
          () => one('SELECT 1 FROM workspaces WHERE id = $1 AND deleted_at IS NOT NULL', [ws.id]),
        ],
        [
          'sign out',
          () => owner.post('/api/auth/logout'),
          () => one('SELECT 1 FROM sessions WHERE user_id = $1 AND revoked_at IS NOT NULL', [owner.id]),
        ],
        [
          'open a DM',
          () => owner.post(`/api/workspaces/${ws.id}/dms`, { userIds: [member.id] }),
          () => one(`SELECT 1 FROM channels WHERE workspace_id = $1 AND type = 'dm'`, [ws.id]),
        ],
      ];
      await refuseAuditInserts(async () => {
        for (const [what, attempt, trace] of attempts) {
          const response = await attempt();
          expect({ what, status: response.status, code: response.body.code }).toEqual({
            what,
            status: 503,
            code: CommonErrorCode.ServiceUnavailable,
          });
          expect({ what, left: await trace() }).toEqual({ what, left: undefined });
        }
      });
      expect(await countAll()).toBe(before);
      expect(memberRole).toBeDefined();
      // With the log writable again, the same change goes through, and its event with it.
      await owner.post(`/api/workspaces/${ws.id}/channels`, { name, visibility: 'public' }).expect(201);
      expect(await rows(`action = 'channel.create' AND details->>'channelName' = $1`, [name])).toHaveLength(1);
      expect((await verifyOf(ws.id)).ok).toBe(true);
    });

    const verifyOf = async (id: string) =>
      (await owner.get(`/api/workspaces/${id}/audit-events/verify`).expect(200)).body as AuditVerifyResult;
  });

  it('names channels as they were at the time of the event, with their ids in the details', async () => {
    const first = `first-${randomUUID().slice(0, 6)}`;
    const second = `second-${first.slice(6)}`;
    const channel = await owner.createChannel(ws.id, first);
    await owner.patch(`/api/channels/${channel.id}`, { name: second }).expect(200);
    const [created] = await rows(`action = 'channel.create' AND target_id = $1`, [channel.id]);
    const [renamed] = await rows(`action = 'channel.update' AND target_id = $1`, [channel.id]);
    expect(created.details).toMatchObject({ channelId: channel.id, channelName: first });
    expect(renamed.details).toMatchObject({ channelId: channel.id, channelName: second, previousName: first });
  });

  it('does not audit sends or read marks, over REST or the socket alike', async () => {
    const [general] = (await owner.get(`/api/workspaces/${ws.id}/channels`).expect(200)).body as { id: string; name: string }[];
    const before = await countAll();
    const sent = await owner
      .post(`/api/channels/${general.id}/messages`, { text: 'not audited', clientMsgId: randomUUID() })
      .expect(201);
    await owner.post(`/api/channels/${general.id}/read`, { seq: sent.body.seq }).expect(200);
    const socket = await connectSocket(t.url, owner.auth.accessToken);
    try {
      expect(
        await call(socket, 'sendMessage', { channelId: general.id, text: 'nor this', clientMsgId: randomUUID() }),
      ).toMatchObject({ ok: true });
      expect(await call(socket, 'markRead', { channelId: general.id, seq: sent.body.seq + 1 })).toMatchObject({ ok: true });
      expect(await call(socket, 'typingStart', { channelId: general.id })).toMatchObject({ ok: true });
      expect(await call(socket, 'setStatus', { status: 'dnd' })).toMatchObject({ ok: true });
    } finally {
      socket.close();
    }
    // A refused send is not audited either: the rule is about the route, not the outcome.
    await stranger.post(`/api/channels/${general.id}/messages`, { text: 'x', clientMsgId: randomUUID() }).expect(404);
    expect(await countAll()).toBe(before);
  });

  it('documents the audit routes, their permissions and the audited actions in the OpenAPI document', async () => {
    const doc = (await request(t.url).get('/api/docs-json').expect(200)).body;
    const list = doc.paths['/api/workspaces/{id}/audit-events'].get;
    expect(list['x-permission']).toBe('audit.read');
    expect(list.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/AuditEventPageDto' });
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['id', 'actorId', 'action', 'targetId', 'from', 'to', 'cursor', 'limit']),
    );
    expect(doc.paths['/api/workspaces/{id}/audit-events/verify'].get.responses['200'].content['application/json'].schema).toEqual(
      {
        $ref: '#/components/schemas/AuditVerifyResultDto',
      },
    );
    const exportRoute = doc.paths['/api/workspaces/{id}/audit-events/export'].get;
    expect(exportRoute['x-permission']).toBe('audit.export');
    expect(exportRoute['x-audit-action']).toBe('audit.export');
    expect(doc.paths['/api/auth/verify'].post['x-audit-action']).toBe('auth.sign_in');
    expect(Object.keys(doc.components.schemas.AuditEventResponseDto.properties)).toEqual(
      expect.arrayContaining(['id', 'workspaceId', 'seq', 'occurredAt', 'details', 'prevHash', 'hash']),
    );
  });

  // Last: its first round anchors every chain of the database.
  it('chains the events of audited actions made side by side in one workspace: every one, once, in a chain that verifies, checkpoints included', async () => {
    const busy = await owner.createWorkspace('Busy');
    const channel = await owner.createChannel(busy.id, 'busy');
    const messages = await Promise.all(Array.from({ length: 6 }, (_, i) => owner.send(channel.id, `m${i}`)));
    // 120 audited edits, 12 at a time: past CHECKPOINT_EVERY (100) events, so a drain's batch writes a checkpoint.
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          owner.patch(`/api/messages/${messages[i % 6].id}`, { text: `edit ${round}.${i}` }).expect(200),
        ),
      );
    }
    const edits = await rows(`workspace_id = $1 AND action = 'message.edit'`, [busy.id]);
    expect(edits).toHaveLength(120);
    // Nothing is left waiting, and the chain has no gap and no fork.
    expect(
      (await t.dataSource.query('SELECT count(*)::int AS n FROM audit_outbox WHERE workspace_id = $1', [busy.id]))[0].n,
    ).toBe(0);
    const all = await rows('workspace_id = $1', [busy.id]);
    expect(all.map((e) => Number(e.seq))).toEqual(all.map((_, i) => i + 1));
    const verified = await audit.verify(busy.id);
    expect(verified).toMatchObject({ ok: true, checked: all.length });
    expect((await audit.checkpoints(busy.id)).map((c) => c.eventCount)).toContain(100);
  });

  it('chains an event left in the outbox by an instance that stopped between its commit and its drain, within seconds', async () => {
    expect(t.app.get(SchedulerRegistry).getInterval('audit-outbox')).toBeDefined();
    const orphaned = await owner.createWorkspace('Orphaned');
    const before = (await rows('workspace_id = $1', [orphaned.id])).length;
    // As an action's transaction leaves it: committed, never drained.
    const id = randomUUID();
    await t.dataSource.query(
      `INSERT INTO audit_outbox (workspace_id, event, created_at) VALUES ($1, $2::jsonb, now() - interval '10 seconds')`,
      [
        orphaned.id,
        JSON.stringify({
          id,
          actorId: owner.id,
          action: 'test.orphan',
          targetType: null,
          targetId: null,
          outcome: 'success',
          ip: null,
          userAgent: null,
          details: { left: 'behind' },
        }),
      ],
    );
    await eventually(async () => expect(await rows('id = $1', [id])).toHaveLength(1), 15_000);
    const [event] = await rows('id = $1', [id]);
    expect(event).toMatchObject({ action: 'test.orphan', details: { left: 'behind' } });
    expect(Number(event.seq)).toBe(before + 1);
    expect(await audit.verify(orphaned.id)).toMatchObject({ ok: true, checked: before + 1 });
  });

  it('anchors the chains that grew every few minutes, without writing the same checkpoint twice', async () => {
    expect(t.app.get(SchedulerRegistry).getInterval('audit-checkpoints')).toBeDefined();
    const grown = await owner.createWorkspace('Timed');
    await recordMany(grown.id, 3);
    const checkpointer = t.app.get(AuditCheckpointer);
    await checkpointer.run();
    expect(await audit.checkpoints(grown.id)).toEqual([expect.objectContaining({ reason: 'timer', eventCount: 4 })]);
    await checkpointer.run();
    expect(await audit.checkpoints(grown.id)).toHaveLength(1);
    await recordMany(grown.id, 1);
    await checkpointer.run();
    expect((await audit.checkpoints(grown.id)).map((c) => c.eventCount)).toEqual([4, 5]);
    expect(await audit.verify(grown.id)).toEqual({ ok: true, checked: 5, checkpoints: 2 });
  });

  it('answers 403 to a member without the permission and 404 to a non-member, on every audit route', async () => {
    for (const suffix of ['', '/verify', '/export?format=csv']) {
      await member.get(`/api/workspaces/${ws.id}/audit-events${suffix}`).expect(403);
      await stranger.get(`/api/workspaces/${ws.id}/audit-events${suffix}`).expect(404);
      await owner.get(`/api/workspaces/${ws.id}/audit-events${suffix}`).expect(200);
    }
  });
});

/** Reads a download as text, whatever its content type (superagent parses only what it knows). */
function textParser(response: request.Response, callback: (error: Error | null, body: string) => void): void {
  const stream = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks).toString('utf8')));
}
