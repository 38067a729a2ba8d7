import { randomUUID } from 'node:crypto';
import {
  ChannelDto,
  CommonErrorCode,
  FileDto,
  FileErrorCode,
  FilePage,
  FILES_PAGE_MAX,
  FILES_PER_MESSAGE_MAX,
  MessageDto,
  MessagePage,
  SentMessage,
  WorkspaceDto,
} from '@parley/contracts';
import request from 'supertest';
import { FileSweeper } from '@api/files/file-sweeper';
import { FILE_STORAGE, FileStorage } from '@api/files/storage/file-storage';
import { asOthersSeeIt, Person, person } from './support/api-client';
import { png as makePng } from './support/files';
import { SmtpSink } from './support/smtp-sink';
import { call, callOk, collect, eventually } from './support/sockets';
import { socketsPerTest } from './support/suites';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

const env = (sink: SmtpSink) => ({
  SMTP_URL: sink.url,
  RATE_LIMIT_CODE_PER_IP: '1000',
  RATE_LIMIT_VERIFY_PER_IP: '1000',
  RATE_LIMIT_SEND_BURST: '1000',
});

const HOUR = 3600_000;

/** Files in the conversation (issue #14): sending with fileIds, deleting, the channel's list, the sweeper. */
describe.each(databaseModes())('files in messages (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let ana: Person, bruno: Person, carla: Person, guest: Person, stranger: Person;
  let ws: WorkspaceDto;
  let room: ChannelDto, other: ChannelDto, secret: ChannelDto;
  let png: Buffer;
  const { open } = socketsPerTest(() => t.url);

  /** Uploads through the real route (multipart field `file`): the file as the answer shows it. */
  const upload = async (
    p: Person,
    channelId: string,
    name = 'notes.txt',
    bytes: Buffer = Buffer.from(`hello ${randomUUID()}\n`),
  ): Promise<FileDto> => {
    const res = await request(t.url)
      .post(`/api/channels/${channelId}/files`)
      .auth(p.auth.accessToken, { type: 'bearer' })
      .attach('file', bytes, name)
      .expect(201);
    return (res.body as { files: FileDto[] }).files[0];
  };
  const sendRaw = (p: Person, channelId: string, body: object) =>
    p.post(`/api/channels/${channelId}/messages`, { clientMsgId: randomUUID(), ...body });
  const history = async (p: Person, channelId: string): Promise<MessageDto[]> =>
    ((await p.get(`/api/channels/${channelId}/messages?limit=100`).expect(200)).body as MessagePage).items;
  const listing = async (p: Person, channelId: string, query = ''): Promise<FilePage> =>
    (await p.get(`/api/channels/${channelId}/files${query}`).expect(200)).body as FilePage;
  const fileRow = async (
    id: string,
  ): Promise<{ message_id: string | null; deleted_at: Date | null; purged_at: Date | null; storage_key: string } | undefined> =>
    (await t.dataSource.query('SELECT message_id, deleted_at, purged_at, storage_key FROM files WHERE id = $1', [id]))[0];
  const lastSeq = async (channelId: string): Promise<number> =>
    Number((await t.dataSource.query('SELECT last_seq FROM channels WHERE id = $1', [channelId]))[0].last_seq);
  const storedWith = async (clientMsgId: string): Promise<number> =>
    Number((await t.dataSource.query('SELECT count(*) AS n FROM messages WHERE client_msg_id = $1', [clientMsgId]))[0].n);
  /** The message's files as readers see them: their ids in order. */
  const ids = (files: FileDto[]) => files.map((file) => file.id);

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ mode, env: env(sink) });
    [ana, bruno, carla, guest, stranger] = await Promise.all(
      ['Ana', 'Bruno', 'Carla', 'Gus', 'Olga'].map((name) => person(t.url, sink, name)),
    );
    ws = await ana.createWorkspace('Files');
    await ana.invite(ws.id, bruno);
    await ana.invite(ws.id, carla);
    await ana.invite(ws.id, guest, await ana.roleId(ws.id, 'guest'));
    room = await ana.createChannel(ws.id, 'room');
    other = await ana.createChannel(ws.id, 'other');
    secret = await ana.createChannel(ws.id, 'secret', 'private');
    await ana.post(`/api/channels/${room.id}/members`, { userIds: [bruno.id, carla.id] }).expect(200);
    await ana.post(`/api/channels/${other.id}/members`, { userIds: [bruno.id] }).expect(200);
    await ana.post(`/api/channels/${secret.id}/members`, { userIds: [bruno.id] }).expect(200);
    png = await makePng(40, 30);
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  describe('sending', () => {
    it('over the socket: the other member gets newMessage with the files in fileIds order (URLs, an image with its thumbnail)', async () => {
      const image = await upload(ana, room.id, 'photo.png', png);
      const notes = await upload(ana, room.id, 'notes.txt');
      expect(image).toMatchObject({ kind: 'image', messageId: null });
      const [a, b] = [await open(ana), await open(bruno)];
      const arrived = collect(b, 'newMessage');
      const sent = await callOk(a, 'sendMessage', {
        channelId: room.id,
        text: 'the pictures',
        clientMsgId: randomUUID(),
        fileIds: [notes.id, image.id],
      });
      expect(ids(sent.files)).toEqual([notes.id, image.id]);
      await eventually(() => expect(arrived).toHaveLength(1));
      const [got] = arrived;
      expect(got).toEqual(asOthersSeeIt(sent));
      expect(got.files[1]).toEqual({
        ...image,
        messageId: sent.id,
        url: `/api/files/${image.id}/content`,
        previewUrl: `/api/files/${image.id}/content?variant=preview`,
        thumbnailUrl: `/api/files/${image.id}/content?variant=thumbnail`,
      });
      expect(got.files[0]).toMatchObject({
        id: notes.id,
        kind: 'file',
        thumbnailUrl: null,
        messageId: sent.id,
        channelId: room.id,
        uploaderId: ana.id,
      });
      // The bytes are there for a reader of the channel, and the file says where it went.
      const fetched = await bruno.get(got.files[1].thumbnailUrl!).expect(200);
      expect(fetched.headers['content-type']).toMatch(/^image\//);
      expect(((await bruno.get(`/api/files/${image.id}`).expect(200)).body as FileDto).messageId).toBe(sent.id);
      expect((await fileRow(image.id))?.message_id).toBe(sent.id);
    });

    it('over REST, files and no text (empty text without files is still refused); a thread reply carries files too', async () => {
      const file = await upload(bruno, room.id);
      const b = await open(carla);
      const arrived = collect(b, 'newMessage');
      const sent = (await sendRaw(bruno, room.id, { text: '', fileIds: [file.id] }).expect(201)).body as SentMessage;
      expect(sent).toMatchObject({ text: '', files: [{ id: file.id, messageId: sent.id }] });
      await eventually(() => expect(arrived.map((m) => m.id)).toEqual([sent.id]));
      expect(arrived[0].files).toEqual(sent.files);
      expect((await history(carla, room.id)).find((m) => m.id === sent.id)?.files).toEqual(sent.files);

      for (const text of ['', '   ']) {
        expect((await sendRaw(bruno, room.id, { text }).expect(400)).body.code).toBe(CommonErrorCode.ValidationFailed);
        expect((await sendRaw(bruno, room.id, { text, fileIds: [] }).expect(400)).body.code).toBe(
          CommonErrorCode.ValidationFailed,
        );
      }

      const inThread = await upload(carla, room.id);
      const reply = (
        await sendRaw(carla, room.id, { text: 'see attached', threadRootId: sent.id, fileIds: [inThread.id] }).expect(201)
      ).body as SentMessage;
      expect(reply).toMatchObject({ threadRootId: sent.id, files: [{ id: inThread.id }] });
      const replies = ((await ana.get(`/api/messages/${sent.id}/replies`).expect(200)).body as MessagePage).items;
      expect(replies.map((m) => [m.id, ids(m.files)])).toEqual([[reply.id, [inThread.id]]]);
      // The root counts the reply, as for any reply.
      expect((await history(ana, room.id)).find((m) => m.id === sent.id)?.replyCount).toBe(1);
    });

    it("another person's file, a file of another channel, one already sent, an unknown id: 400 FILE_NOT_ATTACHABLE, nothing stored, no seq taken", async () => {
      const anas = await upload(ana, room.id);
      const elsewhere = await upload(bruno, other.id);
      const mine = await upload(bruno, room.id);
      const used = await upload(bruno, room.id);
      await bruno.send(room.id, 'first use', { fileIds: [used.id] });
      const before = await lastSeq(room.id);
      for (const fileIds of [[anas.id], [elsewhere.id], [used.id], [randomUUID()], [mine.id, anas.id]]) {
        const clientMsgId = randomUUID();
        const res = await sendRaw(bruno, room.id, { text: 'try', clientMsgId, fileIds }).expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, code: FileErrorCode.NotAttachable });
        expect(await storedWith(clientMsgId)).toBe(0);
      }
      expect(await lastSeq(room.id)).toBe(before);
      // Over the socket, the same refusal as an acknowledgement.
      const ack = await call(await open(bruno), 'sendMessage', {
        channelId: room.id,
        text: 'try',
        clientMsgId: randomUUID(),
        fileIds: [anas.id],
      });
      expect(ack).toMatchObject({ ok: false, error: { code: FileErrorCode.NotAttachable } });
      // The refused sends left every file as it was: each owner can still send theirs, and the next seq follows without a gap.
      expect((await fileRow(mine.id))?.message_id).toBeNull();
      const ok = await bruno.send(room.id, 'now mine alone', { fileIds: [mine.id] });
      expect(ok.seq).toBe(before + 1);
      expect(ids((await ana.send(room.id, 'and mine', { fileIds: [anas.id] })).files)).toEqual([anas.id]);
      expect(ids((await bruno.send(other.id, 'and there', { fileIds: [elsewhere.id] })).files)).toEqual([elsewhere.id]);
    });

    it('fileIds must be at most FILES_PER_MESSAGE_MAX distinct UUIDs (400 before anything is looked up)', async () => {
      const file = await upload(ana, room.id);
      const tooMany = Array.from({ length: FILES_PER_MESSAGE_MAX + 1 }, () => randomUUID());
      for (const fileIds of [tooMany, [file.id, file.id], ['not-a-uuid'], 'x', [42], null]) {
        expect((await sendRaw(ana, room.id, { text: 'x', fileIds }).expect(400)).body.code).toBe(
          CommonErrorCode.ValidationFailed,
        );
      }
      const ack = await call(await open(ana), 'sendMessage', {
        channelId: room.id,
        text: 'x',
        clientMsgId: randomUUID(),
        fileIds: tooMany,
      });
      expect(ack).toMatchObject({ ok: false, error: { code: CommonErrorCode.ValidationFailed } });
      expect((await fileRow(file.id))?.message_id).toBeNull();
    });

    it('a retry with the same clientMsgId (even at once) is the same message, its files attached once', async () => {
      const [one, two] = [await upload(ana, room.id), await upload(ana, room.id, 'b.png', png)];
      const clientMsgId = randomUUID();
      const body = { text: 'twice', clientMsgId, fileIds: [one.id, two.id] };
      const [first, second] = await Promise.all([
        sendRaw(ana, room.id, body).expect(201),
        sendRaw(ana, room.id, body).expect(201),
      ]);
      const third = await callOk(await open(ana), 'sendMessage', { channelId: room.id, ...body });
      expect(asOthersSeeIt(second.body as SentMessage)).toEqual(asOthersSeeIt(first.body as SentMessage));
      expect(asOthersSeeIt(third)).toEqual(asOthersSeeIt(first.body as SentMessage));
      expect(ids((first.body as SentMessage).files)).toEqual([one.id, two.id]);
      expect(await storedWith(clientMsgId)).toBe(1);
      const attached: { message_id: string }[] = await t.dataSource.query(
        'SELECT message_id FROM files WHERE id = ANY($1::uuid[])',
        [[one.id, two.id]],
      );
      expect(attached.map((row) => row.message_id)).toEqual([third.id, third.id]);
    });

    it('sends with and without files arriving together keep their order and seqs without gaps', async () => {
      const channel = await ana.createChannel(ws.id, `mixed-${randomUUID().slice(0, 6)}`);
      const files = await Promise.all([0, 1, 2].map(() => upload(ana, channel.id)));
      const a = await open(ana);
      const start = await lastSeq(channel.id);
      const sends = Array.from({ length: 9 }, (_, i) =>
        callOk(a, 'sendMessage', {
          channelId: channel.id,
          text: `m${i}`,
          clientMsgId: randomUUID(),
          ...(i % 3 === 1 ? { fileIds: [files[(i - 1) / 3].id] } : {}),
        }),
      );
      const sent = await Promise.all(sends);
      expect(sent.map((m) => m.seq).sort((x, y) => x - y)).toEqual(sent.map((_, i) => start + 1 + i));
      expect(sent.map((m) => ids(m.files))).toEqual(sent.map((_, i) => (i % 3 === 1 ? [files[(i - 1) / 3].id] : [])));
      expect(await lastSeq(channel.id)).toBe(start + 9);
      expect((await history(ana, channel.id)).map((m) => m.seq)).toEqual(sent.map((_, i) => start + 1 + i));
    });

    it('forwarding a message copies no files', async () => {
      const file = await upload(ana, room.id);
      const source = await ana.send(room.id, 'with a file', { fileIds: [file.id] });
      const forwarded = (
        await ana.post(`/api/messages/${source.id}/forward`, { channelId: other.id, clientMsgId: randomUUID() }).expect(201)
      ).body as SentMessage;
      expect(forwarded.files).toEqual([]);
      expect((await fileRow(file.id))?.message_id).toBe(source.id);
    });
  });

  describe('deleting', () => {
    it('a deleted message shows no files in history, GET message, messageDeleted and sync; the file and its bytes are 404', async () => {
      const image = await upload(bruno, room.id, 'gone.png', png);
      const sent = await bruno.send(room.id, 'soon gone', { fileIds: [image.id] });
      await ana.get(`/api/files/${image.id}/content`).expect(200);
      const a = await open(ana);
      const deleted = collect(a, 'messageDeleted');
      await bruno.delete(`/api/messages/${sent.id}`).expect(204);
      await eventually(() => expect(deleted).toHaveLength(1));
      expect(deleted[0].message.files).toEqual([]);
      expect((await history(ana, room.id)).find((m) => m.id === sent.id)?.files).toEqual([]);
      expect(((await ana.get(`/api/messages/${sent.id}`).expect(200)).body as MessageDto).files).toEqual([]);
      const synced = await callOk(a, 'sync', { cursors: { [room.id]: sent.seq - 1 } });
      expect(synced.messages.find((m) => m.id === sent.id)?.files).toEqual([]);
      for (const who of [ana, bruno]) {
        await who.get(`/api/files/${image.id}`).expect(404);
        await who.get(`/api/files/${image.id}/content`).expect(404);
        await who.get(`/api/files/${image.id}/content?variant=thumbnail`).expect(404);
      }
      const [row] = await t.dataSource.query('SELECT files FROM messages WHERE id = $1', [sent.id]);
      expect(row.files).toEqual([]);
      expect((await fileRow(image.id))?.deleted_at).not.toBeNull();
      // A deleted message's file can never be sent again.
      expect((await sendRaw(bruno, room.id, { text: 'again', fileIds: [image.id] }).expect(400)).body.code).toBe(
        FileErrorCode.NotAttachable,
      );
    });
  });

  describe('the channel list', () => {
    it('pages newest first with nextBefore, leaving out unattached files and those of deleted messages', async () => {
      const channel = await ana.createChannel(ws.id, `list-${randomUUID().slice(0, 6)}`);
      await bruno.post(`/api/channels/${channel.id}/join`).expect(200);
      const shown: FileDto[] = [];
      for (let i = 0; i < 3; i++) {
        const [x, y] = [await upload(ana, channel.id, `a${i}.txt`), await upload(bruno, channel.id, `b${i}.png`, png)];
        await ana.send(channel.id, `a${i}`, { fileIds: [x.id] });
        await bruno.send(channel.id, `b${i}`, { fileIds: [y.id] });
        shown.push(x, y);
      }
      await upload(ana, channel.id, 'never-sent.txt');
      const doomed = await upload(ana, channel.id, 'doomed.txt');
      const gone = await ana.send(channel.id, 'doomed', { fileIds: [doomed.id] });
      await ana.delete(`/api/messages/${gone.id}`).expect(204);

      const newestFirst = [...shown].reverse().map((file) => file.id);
      const whole = await listing(carla, channel.id);
      expect(whole.items.map((file) => file.id)).toEqual(newestFirst);
      expect(whole.nextBefore).toBeNull();
      expect(whole.items[0]).toMatchObject({
        channelId: channel.id,
        uploaderId: bruno.id,
        kind: 'image',
        thumbnailUrl: `/api/files/${newestFirst[0]}/content?variant=thumbnail`,
      });
      expect(whole.items.every((file) => file.messageId !== null)).toBe(true);

      const pages: string[][] = [];
      let before: string | null = null;
      do {
        const page: FilePage = await listing(bruno, channel.id, `?limit=4${before ? `&before=${before}` : ''}`);
        pages.push(page.items.map((file) => file.id));
        before = page.nextBefore;
      } while (before);
      expect(pages).toEqual([newestFirst.slice(0, 4), newestFirst.slice(4)]);

      for (const query of [
        `?limit=${FILES_PAGE_MAX + 1}`,
        '?limit=0',
        '?before=nope',
        `?before=${randomUUID()}`,
        `?before=${(await upload(ana, room.id)).id}`,
      ]) {
        expect((await ana.get(`/api/channels/${channel.id}/files${query}`).expect(400)).body.code).toBe(
          CommonErrorCode.ValidationFailed,
        );
      }
    });

    it('outsiders of a private channel and a guest not in the channel get 404; a reader of a public channel may list it', async () => {
      const file = await upload(bruno, secret.id);
      await bruno.send(secret.id, 'secret file', { fileIds: [file.id] });
      expect((await listing(ana, secret.id)).items.map((f) => f.id)).toEqual([file.id]);
      for (const outsider of [carla, guest, stranger]) await outsider.get(`/api/channels/${secret.id}/files`).expect(404);
      await guest.get(`/api/channels/${room.id}/files`).expect(404);
      await stranger.get(`/api/channels/${room.id}/files`).expect(404);
      // Carla is in the workspace, not in `other` (public): she may read it, so she may list it.
      await carla.get(`/api/channels/${other.id}/files`).expect(200);
      await ana.get(`/api/channels/${randomUUID()}/files`).expect(404);
    });
  });

  describe('sync after a reconnect', () => {
    it('returns the messages missed with their files', async () => {
      const cursor = await lastSeq(room.id);
      const file = await upload(ana, room.id, 'while-away.png', png);
      const sent = await ana.send(room.id, 'while you were away', { fileIds: [file.id] });
      const synced = await callOk(await open(bruno), 'sync', { cursors: { [room.id]: cursor } });
      const missed = synced.messages.find((m) => m.id === sent.id);
      expect(missed?.files).toEqual(sent.files);
      expect(missed?.files[0]).toMatchObject({ id: file.id, kind: 'image', messageId: sent.id });
    });
  });

  describe('the sweeper', () => {
    it('removes files never attached after the TTL (row and bytes), not a fresh or an attached one; purges the bytes of deleted ones', async () => {
      const sweeper = t.app.get(FileSweeper);
      const storage = t.app.get<FileStorage>(FILE_STORAGE);
      const old = await upload(ana, room.id, 'old.txt');
      const attached = await upload(ana, room.id, 'kept.txt');
      await ana.send(room.id, 'kept', { fileIds: [attached.id] });
      const deletedImage = await upload(ana, room.id, 'deleted.png', png);
      const doomed = await ana.send(room.id, 'doomed', { fileIds: [deletedImage.id] });
      await ana.delete(`/api/messages/${doomed.id}`).expect(204);
      // Later than `old` by more than the clock's resolution: the sweep's cutoff falls between them.
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const fresh = await upload(ana, room.id, 'fresh.txt');
      const keysOf = async (id: string): Promise<string[]> => {
        const [row] = await t.dataSource.query('SELECT storage_key, preview_key, thumbnail_key FROM files WHERE id = $1', [id]);
        return [row.storage_key, row.preview_key, row.thumbnail_key].filter((key: string | null): key is string => key !== null);
      };
      const [oldKeys, freshKeys, attachedKeys, deletedKeys] = [
        await keysOf(old.id),
        await keysOf(fresh.id),
        await keysOf(attached.id),
        await keysOf(deletedImage.id),
      ];
      expect(deletedKeys).toHaveLength(3);
      for (const key of [...oldKeys, ...freshKeys, ...attachedKeys, ...deletedKeys]) expect(await storage.exists(key)).toBe(true);

      const now = new Date(new Date(old.createdAt).getTime() + 24 * HOUR + 500);
      const swept = await sweeper.sweep(now);
      expect(swept.expired).toBeGreaterThanOrEqual(1);

      expect(await fileRow(old.id)).toBeUndefined();
      for (const key of oldKeys) expect(await storage.exists(key)).toBe(false);
      for (const key of deletedKeys) expect(await storage.exists(key)).toBe(false);
      expect((await fileRow(deletedImage.id))?.purged_at).not.toBeNull();
      expect((await fileRow(fresh.id))?.deleted_at).toBeNull();
      expect((await fileRow(attached.id))?.deleted_at).toBeNull();
      for (const key of [...freshKeys, ...attachedKeys]) expect(await storage.exists(key)).toBe(true);
      await ana.get(`/api/files/${attached.id}/content`).expect(200);
      await ana.get(`/api/files/${old.id}`).expect(404);
      // The fresh one is still attachable; the swept one is not.
      expect((await sendRaw(ana, room.id, { text: 'late', fileIds: [old.id] }).expect(400)).body.code).toBe(
        FileErrorCode.NotAttachable,
      );
      expect(ids((await ana.send(room.id, 'in time', { fileIds: [fresh.id] })).files)).toEqual([fresh.id]);
      // Again: nothing left to do for these.
      expect((await sweeper.sweep(now)).purged).toBe(0);
    });

    it("a deleted workspace's files leave every path and their bytes go", async () => {
      const sweeper = t.app.get(FileSweeper);
      const storage = t.app.get<FileStorage>(FILE_STORAGE);
      const doomedWs = await ana.createWorkspace('Doomed');
      const channel = await ana.createChannel(doomedWs.id, 'general-files');
      const sent = await upload(ana, channel.id);
      await ana.send(channel.id, 'bye', { fileIds: [sent.id] });
      const unsent = await upload(ana, channel.id);
      const [sentKey, unsentKey] = [(await fileRow(sent.id))!.storage_key, (await fileRow(unsent.id))!.storage_key];
      await ana.delete(`/api/workspaces/${doomedWs.id}`).expect(204);
      await sweeper.sweep(new Date());
      expect((await fileRow(sent.id))?.purged_at).not.toBeNull();
      expect(await fileRow(unsent.id)).toBeUndefined();
      expect(await storage.exists(sentKey)).toBe(false);
      expect(await storage.exists(unsentKey)).toBe(false);
    });
  });
});
