import { randomUUID } from 'node:crypto';
import { ChannelDto, CommonErrorCode, WorkspaceDto } from '@parley/contracts';
import { AppException } from '@api/common/app-exception';
import { MessagesService, SendResult } from '@api/messages/messages.service';
import { toAck } from '@api/realtime/ack';
import { Person, person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { call, ClientSocket, connectSocket } from './support/sockets';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

/**
 * Group commit mixes the sends of every channel and workspace in one statement. A send the
 * database refuses (a NUL in its text) must fail alone, with its own error that says not to
 * retry, while everyone else's sends in the same batch are stored, in order, gap-free.
 * The service is called directly, so the edge validation of NUL (issue 10, section 3) is bypassed.
 */
describe.each(databaseModes())('one bad send in a batch fails alone (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let messages: MessagesService;
  let ana: Person, bruno: Person, carla: Person;
  let wsA: WorkspaceDto, wsB: WorkspaceDto;
  let left: ChannelDto, right: ChannelDto;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({
      mode,
      env: { SMTP_URL: sink.url, RATE_LIMIT_CODE_PER_IP: '1000', RATE_LIMIT_VERIFY_PER_IP: '1000', RATE_LIMIT_SEND_BURST: '1000' },
    });
    messages = t.app.get(MessagesService);
    [ana, bruno, carla] = [await person(t.url, sink, 'Ana'), await person(t.url, sink, 'Bruno'), await person(t.url, sink, 'Carla')];
    wsA = await ana.createWorkspace('Left');
    wsB = await bruno.createWorkspace('Right');
    await ana.invite(wsA.id, carla);
    await bruno.invite(wsB.id, carla);
    left = await ana.createChannel(wsA.id, 'left');
    right = await bruno.createChannel(wsB.id, 'right');
    await carla.post(`/api/channels/${left.id}/join`).expect(200);
    await carla.post(`/api/channels/${right.id}/join`).expect(200);
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  const seqs = async (channelId: string): Promise<{ seq: number; text: string }[]> =>
    ((await t.dataSource.query('SELECT seq, text FROM messages WHERE channel_id = $1 ORDER BY seq', [channelId])) as { seq: string; text: string }[]).map(
      (row) => ({ seq: Number(row.seq), text: row.text }),
    );

  it('a NUL in one send of a mixed batch fails only that send, with a non-retryable VALIDATION_FAILED', async () => {
    const before = { left: (await seqs(left.id)).length, right: (await seqs(right.id)).length };
    // Submitted in one turn of the event loop, so the batcher puts them all in one statement.
    const plan = Array.from({ length: 40 }, (_, i) => {
      const [who, channel] = [
        [ana, left],
        [bruno, right],
        [carla, i % 4 === 2 ? left : right],
      ][i % 3] as [Person, ChannelDto];
      return { who, channel, text: i === 17 ? `bad \u0000 ${i}` : `good ${i}` };
    });
    const outcomes = await Promise.allSettled(
      plan.map(({ who, channel, text }) => messages.send(who.id, channel.id, { text, clientMsgId: randomUUID() })),
    );

    const bad = outcomes[17];
    expect(bad.status).toBe('rejected');
    const error = (bad as PromiseRejectedResult).reason as AppException;
    expect(error).toBeInstanceOf(AppException);
    expect(error.code).toBe(CommonErrorCode.ValidationFailed);
    const ack = await toAck(() => Promise.reject(error));
    expect(ack).toMatchObject({ ok: false, error: { code: CommonErrorCode.ValidationFailed, retryable: false } });
    expect(ack.ok || ack.error.message).not.toMatch(/0x00|UTF8|byte sequence/); // no database text reaches the client

    const good = outcomes.filter((_, i) => i !== 17);
    expect(good.map((o) => o.status)).toEqual(good.map(() => 'fulfilled'));

    // Gap-free per channel, and in the order the sends were submitted.
    for (const channel of [left, right]) {
      const stored = (await seqs(channel.id)).slice(channel === left ? before.left : before.right);
      const expected = plan.filter((p, i) => p.channel === channel && i !== 17).map((p) => p.text);
      expect(stored.map((row) => row.text)).toEqual(expected);
      const start = (channel === left ? before.left : before.right) + 1;
      expect(stored.map((row) => row.seq)).toEqual(expected.map((_, i) => start + i));
      const acked = plan
        .map((p, i) => ({ p, o: outcomes[i] }))
        .filter(({ p, o }) => p.channel === channel && o.status === 'fulfilled')
        .map(({ o }) => (o as PromiseFulfilledResult<SendResult>).value.message.seq);
      expect(acked).toEqual(expected.map((_, i) => start + i));
    }
  });

  it('several bad sends in one batch: each fails alone, everyone else is stored', async () => {
    const badAt = new Set([0, 5, 6, 29]);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        messages.send(i % 2 ? ana.id : carla.id, left.id, { text: badAt.has(i) ? `\u0000${i}` : `fine ${i}`, clientMsgId: randomUUID() }),
      ),
    );
    outcomes.forEach((outcome, i) => expect([i, outcome.status]).toEqual([i, badAt.has(i) ? 'rejected' : 'fulfilled']));
    const all = await seqs(left.id);
    expect(all.map((row) => row.seq)).toEqual(all.map((_, i) => i + 1));
  });

  it('over the socket: the sender of the bad text gets a non-retryable error, the others their messages', async () => {
    const [a, b, c] = [await connectSocket(t.url, ana.auth.accessToken), await connectSocket(t.url, bruno.auth.accessToken), await connectSocket(t.url, carla.auth.accessToken)];
    sockets.push(a, b, c);
    const acks = await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => call(a, 'sendMessage', { channelId: left.id, text: `a${i}`, clientMsgId: randomUUID() })),
      call(c, 'sendMessage', { channelId: right.id, text: 'nul \u0000 here', clientMsgId: randomUUID() }),
      ...Array.from({ length: 5 }, (_, i) => call(b, 'sendMessage', { channelId: right.id, text: `b${i}`, clientMsgId: randomUUID() })),
    ]);
    const refused = acks[5];
    expect(refused).toMatchObject({ ok: false, error: { retryable: false } });
    expect(acks.filter((_, i) => i !== 5).every((ack) => ack.ok)).toBe(true);
  });
});
