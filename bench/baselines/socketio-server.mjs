// The raw ceiling: a minimal Socket.IO server with the options Parley uses (64 KiB frames,
// no per-message deflate), speaking the same events as Parley for the parts the bench drives.
//  - connection: joins the rooms named in auth.rooms (the rooms Parley would join for that user)
//  - sendMessage: stamps a message (id, per-channel seq, createdAt) and broadcasts it to
//    `channel:<id>` (through the Redis adapter when REDIS_URL is set); acks { ok, data }
//  - sync (needs DATABASE_URL): the raw SQL read of everything after each cursor, acked like Parley
// No authentication, no validation, no persistence of sends: that is what makes it the ceiling.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';
if (!/^127\./.test(host)) throw new Error('loopback only');

const httpServer = http.createServer((request, response) => {
  if (request.url === '/health') {
    response.setHeader('content-type', 'application/json');
    response.end('{"status":"ok"}');
  } else {
    response.statusCode = 404;
    response.end();
  }
});

const io = new Server(httpServer, {
  maxHttpBufferSize: 64 * 1024,
  perMessageDeflate: false,
  cors: { origin: [`http://127.0.0.1:${port}`], credentials: false },
});

const closers = [];
if (process.env.REDIS_URL) {
  const [{ Redis }, { createAdapter }] = await Promise.all([import('ioredis'), import('@socket.io/redis-adapter')]);
  const pub = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 2 });
  const sub = pub.duplicate();
  io.adapter(createAdapter(pub, sub, { key: `${process.env.REDIS_PREFIX}:baseline:socket.io`, requestsTimeout: 3000 }));
  closers.push(
    () => pub.quit(),
    () => sub.quit(),
  );
}

let pool = null;
if (process.env.DATABASE_URL) {
  const { default: pg } = await import('pg');
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  closers.push(() => pool.end());
}

const COLUMNS =
  'id, channel_id, seq, sender_id, text, client_msg_id, created_at, edited_at, deleted_at, thread_root_id, also_in_channel, reply_count, last_reply_at, replier_ids, reactions, pinned_at, pinned_by, forwarded_from';
const COLUMNS_OF_M = COLUMNS.split(', ').map((column) => `m.${column}`).join(', ');

/** A messages row as the MessageDto Parley sends. */
function toMessage(row) {
  return {
    id: row.id,
    channelId: row.channel_id,
    seq: Number(row.seq),
    senderId: row.sender_id,
    text: row.deleted_at ? '' : row.text,
    clientMsgId: row.client_msg_id,
    createdAt: row.created_at.toISOString(),
    editedAt: row.edited_at?.toISOString() ?? null,
    deletedAt: row.deleted_at?.toISOString() ?? null,
    threadRootId: row.thread_root_id,
    alsoInChannel: row.also_in_channel,
    replyCount: row.reply_count,
    lastReplyAt: row.last_reply_at?.toISOString() ?? null,
    replierIds: row.replier_ids,
    reactions: row.deleted_at ? [] : row.reactions.map((reaction) => ({ ...reaction, me: false })),
    pinnedAt: row.pinned_at?.toISOString() ?? null,
    pinnedBy: row.pinned_by,
    forwardedFrom: row.deleted_at ? null : row.forwarded_from,
  };
}
const seqs = new Map();

io.on('connection', (socket) => {
  const auth = socket.handshake.auth ?? {};
  const userId = typeof auth.userId === 'string' ? auth.userId : socket.id;
  if (Array.isArray(auth.rooms)) socket.join(auth.rooms.filter((room) => typeof room === 'string'));

  socket.on('sendMessage', (payload, ack) => {
    const seq = (seqs.get(payload.channelId) ?? 0) + 1;
    seqs.set(payload.channelId, seq);
    const message = {
      id: randomUUID(),
      channelId: payload.channelId,
      seq,
      senderId: userId,
      text: payload.text,
      clientMsgId: payload.clientMsgId,
      createdAt: new Date().toISOString(),
      editedAt: null,
      deletedAt: null,
      threadRootId: null,
      alsoInChannel: false,
      replyCount: 0,
      lastReplyAt: null,
      replierIds: [],
      reactions: [],
      pinnedAt: null,
      pinnedBy: null,
      forwardedFrom: null,
    };
    io.to(`channel:${payload.channelId}`).emit('newMessage', message);
    if (typeof ack === 'function') ack({ ok: true, data: message });
  });

  socket.on('sync', async (payload, ack) => {
    if (typeof ack !== 'function') return;
    if (!pool)
      return ack({ ok: false, error: { code: 'NO_DATABASE', message: 'started without DATABASE_URL', retryable: false } });
    try {
      const messages = [];
      for (const [channelId, after] of Object.entries(payload.cursors ?? {})) {
        const { rows } = await pool.query(
          `SELECT ${COLUMNS} FROM messages WHERE channel_id = $1 AND seq > $2 ORDER BY seq ASC LIMIT 501`,
          [channelId, after],
        );
        for (const row of rows.slice(0, 500)) messages.push(toMessage(row));
      }
      // The changes after each change cursor, each with its message as it is now (the raw form of Parley's SYNC_CHANGES).
      const changes = [];
      for (const [channelId, after] of Object.entries(payload.changeCursors ?? {})) {
        const { rows } = await pool.query(
          `SELECT ch.change_seq, ch.kind, ch.actor_id, ${COLUMNS_OF_M} FROM message_changes ch JOIN messages m ON m.id = ch.message_id
            WHERE ch.channel_id = $1 AND ch.change_seq > $2 ORDER BY ch.change_seq ASC LIMIT 501`,
          [channelId, after],
        );
        for (const row of rows.slice(0, 500)) {
          changes.push({ channelId: row.channel_id, changeSeq: Number(row.change_seq), kind: row.kind, actorId: row.actor_id, message: toMessage(row) });
        }
      }
      ack({ ok: true, data: { messages, changes, truncated: [] } });
    } catch (error) {
      ack({ ok: false, error: { code: 'DB', message: error.message, retryable: true } });
    }
  });
});

httpServer.listen(port, host);

async function shutdown() {
  io.close();
  await Promise.allSettled(closers.map((close) => close()));
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
