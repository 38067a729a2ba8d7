import { randomUUID } from 'node:crypto';
import { MESSAGE_METADATA } from '@nestjs/websockets/constants';
import { CLIENT_EVENT_NAMES, ClientEventName, CommonErrorCode } from '@parley/contracts';
import { describeSocketRule } from '@api/realtime/client-events';
import { RealtimeGateway } from '@api/realtime/realtime.gateway';
import { person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { callUntyped, connectSocket, PayloadOf } from './support/sockets';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

/** A valid payload for each event that acts on one channel (a new one needs its sample here). */
const CHANNEL_SAMPLES: Partial<{ [E in ClientEventName]: (channelId: string) => PayloadOf<E> }> = {
  sendMessage: (channelId) => ({ channelId, text: 'hello', clientMsgId: randomUUID() }),
  typingStart: (channelId) => ({ channelId }),
  typingStop: (channelId) => ({ channelId }),
  markRead: (channelId) => ({ channelId, seq: 0 }),
};

/** A valid payload for each event that acts on one message. */
const MESSAGE_SAMPLES: Partial<{ [E in ClientEventName]: (messageId: string) => PayloadOf<E> }> = {
  editMessage: (messageId) => ({ messageId, text: 'rewritten' }),
  addReaction: (messageId) => ({ messageId, emoji: '👍' }),
  removeReaction: (messageId) => ({ messageId, emoji: '👍' }),
};

/**
 * Every client → server socket event with what it takes to send it, as the route list does for
 * REST: a change of access shows up as a diff of the snapshot beside this file.
 */
describe('socket event access list', () => {
  let sink: SmtpSink;
  let t: TestApp;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ mode: databaseModes()[0], env: { SMTP_URL: sink.url } });
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  const table = () => t.app.get(RealtimeGateway).clientEvents as Partial<RealtimeGateway['clientEvents']>;

  it('lists every client event of the contracts with its handler and the access it requires', () => {
    const prototype = RealtimeGateway.prototype as unknown as Record<string, unknown>;
    const handled = new Set(
      Object.getOwnPropertyNames(prototype).map((name) =>
        typeof prototype[name] === 'function' ? (Reflect.getMetadata(MESSAGE_METADATA, prototype[name] as object) as string | undefined) : undefined,
      ),
    );
    expect(CLIENT_EVENT_NAMES.filter((event) => !handled.has(event)).map((event) => `${event}: no handler`)).toEqual([]);
    expect(CLIENT_EVENT_NAMES.filter((event) => !table()[event]?.rule).map((event) => `${event}: no rule`)).toEqual([]);

    const lines = CLIENT_EVENT_NAMES.map((event) => `${event.padEnd(14)} ${describeSocketRule(table()[event]!.rule)}`);
    expect(lines.join('\n')).toMatchSnapshot();
  });

  it('refuses every channel event on a private channel the sender is not in as "not found", as its rule says', async () => {
    const [owner, other] = [await person(t.url, sink, 'Owner'), await person(t.url, sink, 'Other')];
    const ws = await owner.createWorkspace('Socket rules');
    await owner.invite(ws.id, other);
    const secret = await owner.createChannel(ws.id, 'secret', 'private');
    const socket = await connectSocket(t.url, other.auth.accessToken);
    try {
      const channelEvents = CLIENT_EVENT_NAMES.filter((event) => table()[event]?.rule.kind === 'channel');
      expect(channelEvents.filter((event) => !CHANNEL_SAMPLES[event]).map((event) => `${event}: no sample payload`)).toEqual([]);
      for (const event of channelEvents) {
        const ack = await callUntyped(socket, event, CHANNEL_SAMPLES[event]!(secret.id));
        expect({ event, ack }).toMatchObject({ event, ack: { ok: false, error: { code: CommonErrorCode.NotFound } } });
      }
    } finally {
      socket.close();
    }
  });

  it('refuses every message event on a message of a private channel the sender is not in as "not found", as for a message that does not exist', async () => {
    const [owner, other] = [await person(t.url, sink, 'Owner'), await person(t.url, sink, 'Other')];
    const ws = await owner.createWorkspace('Socket message rules');
    await owner.invite(ws.id, other);
    const secret = await owner.createChannel(ws.id, 'secret', 'private');
    const hidden = await owner.send(secret.id, 'between us');
    const socket = await connectSocket(t.url, other.auth.accessToken);
    try {
      const messageEvents = CLIENT_EVENT_NAMES.filter((event) => table()[event]?.rule.kind === 'message');
      expect(messageEvents.filter((event) => !MESSAGE_SAMPLES[event]).map((event) => `${event}: no sample payload`)).toEqual([]);
      for (const event of messageEvents) {
        for (const messageId of [hidden.id, randomUUID()]) {
          const ack = await callUntyped(socket, event, MESSAGE_SAMPLES[event]!(messageId));
          expect({ event, ack }).toMatchObject({ event, ack: { ok: false, error: { code: CommonErrorCode.NotFound } } });
        }
      }
      const [row] = await t.dataSource.query('SELECT text, reactions FROM messages WHERE id = $1', [hidden.id]);
      expect(row).toEqual({ text: 'between us', reactions: [] });
    } finally {
      socket.close();
    }
  });
});
