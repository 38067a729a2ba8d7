import { randomUUID } from 'node:crypto';
import { AuditOutcome } from '@parley/contracts';
import { AuditRepository } from '@api/audit/audit.repository';
import { AuditRecordInput, AuditService } from '@api/audit/audit.service';
import { checkpointSignature, deriveAuditKey, GENESIS_HASH } from '@api/audit/audit-hash';
import { StoredCheckpoint } from '@api/audit/audit-rows';
import { databaseModes, startTestApp, TestApp } from '../support/test-app';

/**
 * Medium tier: the audit repository on the real database, without HTTP, written through the
 * service that chains the events (as every audited action does, inside its own transaction).
 * Each test uses a chain of its own (a workspace id nobody else writes to).
 */
describe.each(databaseModes())('audit repository (%s database)', (mode) => {
  let t: TestApp;
  let repository: AuditRepository;
  let audit: AuditService;

  beforeAll(async () => {
    t = await startTestApp({ mode });
    repository = t.app.get(AuditRepository);
    audit = t.app.get(AuditService);
  });

  afterAll(async () => {
    await t?.close();
  });

  const event = (workspaceId: string, action: string, outcome: AuditOutcome = 'success'): AuditRecordInput => ({
    workspaceId,
    actorId: null,
    action,
    outcome,
    details: { action },
  });

  const head = (workspaceId: string) => t.dataSource.transaction((manager) => repository.findHead(workspaceId, manager));
  const allEvents = (workspaceId: string) => repository.findChainEvents(workspaceId, 0, 1000);

  it('an empty chain starts at seq 0 and the genesis hash', async () => {
    expect(await head(randomUUID())).toEqual({ seq: 0, hash: GENESIS_HASH });
  });

  it('events appended in one transaction chain: each names the hash of the one before', async () => {
    const workspaceId = randomUUID();
    await t.dataSource.transaction(async (manager) => {
      for (const action of ['test.first', 'test.second', 'test.third']) await audit.record(event(workspaceId, action), manager);
    });

    const events = await allEvents(workspaceId);
    expect(events.map((e) => [e.seq, e.action])).toEqual([
      [1, 'test.first'],
      [2, 'test.second'],
      [3, 'test.third'],
    ]);
    expect(events[0].prevHash).toBe(GENESIS_HASH);
    expect(events[1].prevHash).toBe(events[0].hash);
    expect(events[2].prevHash).toBe(events[1].hash);
    expect(new Set(events.map((e) => e.hash)).size).toBe(3);
    // Read back exactly as hashed (the time to the microsecond): the chain verifies.
    expect(events.every((e) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(e.occurredAt))).toBe(true);
    expect(await audit.verify(workspaceId)).toEqual({ ok: true, checked: 3, checkpoints: 0 });
    expect(await head(workspaceId)).toEqual({ seq: 3, hash: events[2].hash });
  });

  it('a rolled-back transaction leaves no event, and the chain goes on from the last committed one', async () => {
    const workspaceId = randomUUID();
    await audit.record(event(workspaceId, 'test.kept'));
    const [kept] = await allEvents(workspaceId);

    const failure = new Error('the action failed');
    await expect(
      t.dataSource.transaction(async (manager) => {
        await audit.record(event(workspaceId, 'test.rolled_back'), manager);
        await audit.record(event(workspaceId, 'test.rolled_back_too'), manager);
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect((await allEvents(workspaceId)).map((e) => e.action)).toEqual(['test.kept']);
    expect(await head(workspaceId)).toEqual({ seq: 1, hash: kept.hash });

    await audit.record(event(workspaceId, 'test.next'));
    const [, next] = await allEvents(workspaceId);
    expect(next).toMatchObject({ seq: 2, action: 'test.next', prevHash: kept.hash });
    expect(await audit.verify(workspaceId)).toMatchObject({ ok: true, checked: 2 });
  });

  it('concurrent appends to one chain take turns: no seq twice, none skipped, one unbroken chain', async () => {
    const workspaceId = randomUUID();
    await Promise.all(Array.from({ length: 12 }, (_, i) => audit.record(event(workspaceId, `test.parallel.${i}`))));
    const events = await allEvents(workspaceId);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    for (let i = 1; i < events.length; i += 1) expect(events[i].prevHash).toBe(events[i - 1].hash);
    expect(await audit.verify(workspaceId)).toMatchObject({ ok: true, checked: 12 });
  });

  it('a checkpoint written reads back exactly, and the latest is the one that counts the most events', async () => {
    const workspaceId = randomUUID();
    const key = deriveAuditKey('medium-test-key');
    const write = (eventCount: number, headHash: string) =>
      t.dataSource.transaction(async (manager): Promise<StoredCheckpoint> => {
        await repository.lockChain(workspaceId, manager);
        const createdAt = await repository.clock(manager);
        const content = { id: randomUUID(), workspaceId, eventCount, headHash, createdAt, reason: 'export' };
        const checkpoint = { ...content, signature: checkpointSignature(key, content) };
        await repository.insertCheckpoint(checkpoint, manager);
        return checkpoint;
      });
    const latest = () => t.dataSource.transaction((manager) => repository.findLatestCheckpoint(workspaceId, manager));

    expect(await latest()).toBeNull();
    expect(await repository.findCheckpoints(workspaceId)).toEqual([]);

    const later = await write(7, 'b'.repeat(64));
    const earlier = await write(3, 'a'.repeat(64));
    expect(later.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    // Oldest first by the events they count, every field as written (the signature still checks).
    const stored = await repository.findCheckpoints(workspaceId);
    expect(stored).toEqual([earlier, later]);
    expect(stored.map((c) => checkpointSignature(key, c) === c.signature)).toEqual([true, true]);
    expect(await latest()).toEqual(later);
    // Another chain's checkpoints are not this one's.
    expect(await repository.findCheckpoints(randomUUID())).toEqual([]);
  });

  it("the service's checkpoint anchors the head once: asked again with no new event, it answers the same one", async () => {
    const workspaceId = randomUUID();
    await audit.record(event(workspaceId, 'test.one'));
    await audit.record(event(workspaceId, 'test.two'));
    const [, second] = await allEvents(workspaceId);

    const first = await audit.checkpoint(workspaceId, 'export');
    expect(first).toMatchObject({ workspaceId, eventCount: 2, headHash: second.hash, reason: 'export' });
    expect(await audit.checkpoint(workspaceId, 'timer')).toEqual(first);
    expect(await repository.findCheckpoints(workspaceId)).toEqual([first]);
  });

  it('reads a window of a workspace log by filter, newest first below a seq or oldest first above one', async () => {
    const workspaceId = randomUUID();
    for (let i = 1; i <= 6; i += 1) await audit.record(event(workspaceId, i % 2 ? 'test.odd' : 'test.even'));
    const actionsOf = (rows: { seq: number; action: string }[]) => rows.map((e) => `${e.seq}:${e.action}`);

    expect(actionsOf(await repository.findEvents(workspaceId, {}, { order: 'DESC', limit: 2 }))).toEqual([
      '6:test.even',
      '5:test.odd',
    ]);
    expect(actionsOf(await repository.findEvents(workspaceId, {}, { order: 'DESC', beforeSeq: 5, limit: 2 }))).toEqual([
      '4:test.even',
      '3:test.odd',
    ]);
    expect(actionsOf(await repository.findEvents(workspaceId, { action: 'test.odd' }, { order: 'ASC', afterSeq: 1, limit: 10 }))).toEqual([
      '3:test.odd',
      '5:test.odd',
    ]);
    expect(await repository.findEvents(workspaceId, { actorId: randomUUID() }, { order: 'ASC', afterSeq: 0, limit: 10 })).toEqual([]);
    // The chains that grew since a moment include this one, and none from before it grew.
    expect(await repository.findChainsWithEventsSince(new Date(0))).toContain(workspaceId);
    expect(await repository.findChainsWithEventsSince(new Date(Date.now() + 3_600_000))).not.toContain(workspaceId);
  });
});
