import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AuthErrorCode, ChannelDto, CommonErrorCode, FILE_NAME_MAX_LENGTH, FileDto, FileErrorCode, FILES_COOKIE, FILES_PER_MESSAGE_MAX, UploadResult, WorkspaceDto } from '@parley/contracts';
import sharp from 'sharp';
import { decode, sign } from 'jsonwebtoken';
import request from 'supertest';
import { Person, person } from './support/api-client';
import { animatedGif, binary, download, exifHasGps, jpegWithGps, png, sha256, uploadSlowly } from './support/files';
import { SmtpSink } from './support/smtp-sink';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

const MAX_BYTES = 256 * 1024;

/** Bytes no type sniffer recognises: leading zeros (no signature starts so), then random. */
const noise = (length: number) => Buffer.concat([Buffer.alloc(Math.min(16, length)), randomBytes(Math.max(0, length - 16))]);
const QUOTA_BYTES = 4 * 1024 * 1024;

describe.each(databaseModes())('files (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let ana: Person, bruno: Person, carla: Person, outsider: Person;
  let ws: WorkspaceDto;
  let general: ChannelDto, secret: ChannelDto;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({
      mode,
      env: {
        SMTP_URL: sink.url,
        RATE_LIMIT_CODE_PER_IP: '1000',
        RATE_LIMIT_VERIFY_PER_IP: '1000',
        RATE_LIMIT_SEND_BURST: '1000',
        FILE_MAX_BYTES: String(MAX_BYTES),
        FILE_QUOTA_BYTES: String(QUOTA_BYTES),
      },
    });
    [ana, bruno, carla, outsider] = await Promise.all(['Ana', 'Bruno', 'Carla', 'Outsider'].map((name) => person(t.url, sink, name)));
    ws = await ana.createWorkspace('Files');
    await ana.invite(ws.id, bruno);
    await ana.invite(ws.id, carla);
    general = await ana.createChannel(ws.id, 'media');
    await bruno.post(`/api/channels/${general.id}/join`).expect(200);
    secret = await ana.createChannel(ws.id, 'secret', 'private');
    await ana.post(`/api/channels/${secret.id}/members`, { userIds: [bruno.id] }).expect(200);
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  const upload = (p: Person, channelId: string, files: { bytes: Buffer; name: string; type?: string }[]) => {
    let call = request(t.url).post(`/api/channels/${channelId}/files`).auth(p.auth.accessToken, { type: 'bearer' });
    for (const file of files) call = call.attach('file', file.bytes, { filename: file.name, contentType: file.type ?? 'application/octet-stream' });
    return call;
  };
  const uploadOne = async (p: Person, channelId: string, bytes: Buffer, name: string, type?: string): Promise<FileDto> => {
    const response = await upload(p, channelId, [{ bytes, name, type }]);
    if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${JSON.stringify(response.body)}`);
    return (response.body as UploadResult).files[0];
  };
  const content = (p: Person, path: string) => download(t.url, p.auth.accessToken, path);
  const countFiles = async (): Promise<number> => (await t.dataSource.query('SELECT count(*)::int AS n FROM files'))[0].n;
  /** What is under DATA_DIR/tmp: an upload leaves nothing there, whatever its outcome. */
  const leftovers = () => readdirSync(join(t.config.dataDir, 'tmp'));

  it('round trip: the bytes come back as they went, with their SHA-256, size and a sniffed type', async () => {
    const bytes = noise(100_000);
    const file = await uploadOne(ana, general.id, bytes, 'data.bin');
    expect(file).toMatchObject({
      channelId: general.id,
      uploaderId: ana.id,
      name: 'data.bin',
      size: bytes.length,
      mimeType: 'application/octet-stream',
      kind: 'file',
      width: null,
      height: null,
      messageId: null,
      url: `/api/files/${file.id}/content`,
      previewUrl: null,
      thumbnailUrl: null,
    });
    const back = await content(ana, file.url).expect(200);
    expect(sha256(back.body as Buffer)).toBe(sha256(bytes));
    expect(back.headers).toMatchObject({
      'content-length': String(bytes.length),
      'x-content-type-options': 'nosniff',
      'content-security-policy': 'sandbox',
      'cache-control': expect.stringMatching(/^private/),
      etag: `"${sha256(bytes)}"`,
      'accept-ranges': 'bytes',
    });
    expect(back.headers['content-disposition']).toMatch(/^attachment; filename="data.bin"; filename\*=UTF-8''data.bin$/);
    const [row] = await t.dataSource.query('SELECT sha256, size::int AS size, message_id FROM files WHERE id = $1', [file.id]);
    expect(row).toEqual({ sha256: sha256(bytes), size: bytes.length, message_id: null });
    // The metadata route says the same, and the ETag answers 304.
    expect((await ana.get(`/api/files/${file.id}`).expect(200)).body).toEqual(file);
    await request(t.url).get(file.url).auth(ana.auth.accessToken, { type: 'bearer' }).set('If-None-Match', `"${sha256(bytes)}"`).expect(304);
    expect(leftovers()).toEqual([]);
  });

  it('uploads several files at once, in order, and refuses more than FILES_PER_MESSAGE_MAX', async () => {
    const files = [0, 1, 2].map((i) => ({ bytes: noise(1000 + i), name: `part-${i}.bin` }));
    const { body } = await upload(ana, general.id, files).expect(201);
    expect((body as UploadResult).files.map((f) => [f.name, f.size])).toEqual(files.map((f) => [f.name, f.bytes.length]));
    const before = await countFiles();
    const tooMany = Array.from({ length: FILES_PER_MESSAGE_MAX + 1 }, (_, i) => ({ bytes: noise(10), name: `${i}.bin` }));
    const refused = await upload(ana, general.id, tooMany).expect(400);
    expect(refused.body).toMatchObject({ statusCode: 400, code: FileErrorCode.UploadInvalid });
    expect(await countFiles()).toBe(before);
  });

  it('refuses what is not an upload: no multipart, no file, an empty file, a file in another field', async () => {
    const refused = async (call: request.Test) => expect((await call.expect(400)).body).toMatchObject({ code: FileErrorCode.UploadInvalid });
    await refused(request(t.url).post(`/api/channels/${general.id}/files`).auth(ana.auth.accessToken, { type: 'bearer' }).send({ file: 'hello' }));
    await refused(request(t.url).post(`/api/channels/${general.id}/files`).auth(ana.auth.accessToken, { type: 'bearer' }).field('note', 'no file'));
    await refused(upload(ana, general.id, [{ bytes: Buffer.alloc(0), name: 'empty.txt' }]));
    await refused(request(t.url).post(`/api/channels/${general.id}/files`).auth(ana.auth.accessToken, { type: 'bearer' }).attach('other', Buffer.from('x'), 'x.txt'));
    await refused(
      request(t.url)
        .post(`/api/channels/${general.id}/files`)
        .auth(ana.auth.accessToken, { type: 'bearer' })
        .set('Content-Type', 'multipart/form-data; boundary=nope')
        .send('--nope\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\ncut off'),
    );
    expect(leftovers()).toEqual([]);
  });

  it('answers 413 to a Content-Length past FILE_MAX_BYTES before reading the body', async () => {
    const answer = await uploadSlowly(`${t.url}/api/channels/${general.id}/files`, ana.auth.accessToken, {
      chunkBytes: 16 * 1024,
      chunks: 1000,
      contentLength: 50 * 1024 * 1024,
      pauseMs: 20,
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ statusCode: 413, code: FileErrorCode.TooLarge });
    expect(answer.sentBytes).toBeLessThan(MAX_BYTES);
  });

  it('answers 413 to a chunked upload as soon as it passes FILE_MAX_BYTES, and keeps nothing of it', async () => {
    const before = await countFiles();
    const answer = await uploadSlowly(`${t.url}/api/channels/${general.id}/files`, ana.auth.accessToken, { chunkBytes: 32 * 1024, chunks: 1000, pauseMs: 5 });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: FileErrorCode.TooLarge });
    // Answered once the limit was passed, long before the 32 MB the client would have sent.
    expect(answer.sentBytes).toBeGreaterThan(MAX_BYTES);
    expect(answer.sentBytes).toBeLessThan(MAX_BYTES + 2 * 1024 * 1024);
    expect(await countFiles()).toBe(before);
    expect(leftovers()).toEqual([]);
  });

  it("refuses an upload past the workspace's quota with 413 FILE_QUOTA_EXCEEDED, storing nothing of it", async () => {
    const other = await carla.createWorkspace('Quota');
    const room = await carla.createChannel(other.id, 'uploads');
    const chunk = () => noise(MAX_BYTES - 1024);
    const fits = Math.floor(QUOTA_BYTES / (MAX_BYTES - 1024));
    for (let i = 0; i < fits; i++) await uploadOne(carla, room.id, chunk(), `${i}.bin`);
    const before = await countFiles();
    const refused = await upload(carla, room.id, [{ bytes: chunk(), name: 'one-too-many.bin' }]).expect(413);
    expect(refused.body).toMatchObject({ statusCode: 413, code: FileErrorCode.QuotaExceeded });
    expect(await countFiles()).toBe(before);
    // The other workspace's quota is its own.
    await uploadOne(ana, general.id, chunk(), 'still-fine.bin');
  });

  it('types a file by its bytes: a PNG named .txt is an image, renamed .png', async () => {
    const bytes = await png(40, 20);
    const file = await uploadOne(ana, general.id, bytes, 'photo.txt', 'text/plain');
    expect(file).toMatchObject({ name: 'photo.png', mimeType: 'image/png', kind: 'image', width: 40, height: 20 });
    expect(file.previewUrl).toBe(`/api/files/${file.id}/content?variant=preview`);
    const back = await content(ana, file.url).expect(200);
    expect(back.headers['content-type']).toBe('image/png');
    expect(back.headers['content-disposition']).toMatch(/^inline; filename="photo.png"/);
    for (const variant of ['preview', 'thumbnail']) {
      const rendition = await content(ana, `${file.url}?variant=${variant}`).expect(200);
      expect(rendition.headers['content-type']).toBe('image/webp');
      expect((await sharp(rendition.body as Buffer).metadata()).format).toBe('webp');
    }
    // ?download=1 is always an attachment.
    expect((await content(ana, `${file.url}?download=1`).expect(200)).headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('serves HTML named .png as an HTML attachment with nosniff and a sandbox CSP', async () => {
    const html = Buffer.from('<!doctype html><html><body><script>fetch("/api/users/me")</script></body></html>');
    const file = await uploadOne(ana, general.id, html, 'evil.png', 'image/png');
    expect(file).toMatchObject({ name: 'evil.html', mimeType: 'text/html', kind: 'file', previewUrl: null });
    const back = await content(ana, file.url).expect(200);
    expect(back.headers['content-type']).toMatch(/^text\/html/);
    expect(back.headers['content-disposition']).toMatch(/^attachment; filename="evil.html"/);
    expect(back.headers['x-content-type-options']).toBe('nosniff');
    expect(back.headers['content-security-policy']).toBe('sandbox');
    expect(sha256(back.body as Buffer)).toBe(sha256(html));
  });

  it('serves SVG (plain or behind an XML declaration) and XML always as attachments', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
    const declared = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>');
    const xml = Buffer.from('<?xml version="1.0"?><note>hi</note>');
    for (const [bytes, name, mimeType, stored] of [
      [svg, 'logo.svg', 'image/svg+xml', 'logo.svg'],
      [declared, 'logo.jpg', 'image/svg+xml', 'logo.svg'],
      [xml, 'note.xml', 'application/xml', 'note.xml'],
    ] as const) {
      const file = await uploadOne(ana, general.id, bytes, name, 'image/svg+xml');
      expect(file).toMatchObject({ name: stored, mimeType, kind: 'file' });
      const back = await content(ana, file.url).expect(200);
      expect(back.headers['content-disposition']).toMatch(/^attachment;/);
      expect(back.headers['content-security-policy']).toBe('sandbox');
    }
  });

  it('removes EXIF and GPS from a stored JPEG, and applies its orientation', async () => {
    const original = await jpegWithGps(60, 30, 6);
    const before = await sharp(original).metadata();
    expect([before.orientation, exifHasGps(before.exif)]).toEqual([6, true]);
    const file = await uploadOne(ana, general.id, original, 'holiday.jpg', 'image/jpeg');
    // Orientation 6 is a quarter turn: the stored image is 30 wide and 60 high.
    expect(file).toMatchObject({ name: 'holiday.jpg', mimeType: 'image/jpeg', kind: 'image', width: 30, height: 60 });
    const back = (await content(ana, file.url).expect(200)).body as Buffer;
    const stored = await sharp(back).metadata();
    expect(stored).toMatchObject({ format: 'jpeg', width: 30, height: 60 });
    expect(stored.exif).toBeUndefined();
    expect(stored.orientation).toBeUndefined();
    expect(back.includes(Buffer.from('Spyphone'))).toBe(false);
    // What is served is what was stored: its size and hash are the cleaned file's.
    expect(file.size).toBe(back.length);
    expect((await content(ana, file.url).expect(200)).headers.etag).toBe(`"${sha256(back)}"`);
    for (const variant of ['preview', 'thumbnail']) {
      const rendition = await sharp((await content(ana, `${file.url}?variant=${variant}`).expect(200)).body as Buffer).metadata();
      expect(rendition.exif).toBeUndefined();
      expect(rendition.width! < rendition.height!).toBe(true);
    }
  });

  it('keeps an animated GIF animated and gives it a still thumbnail', async () => {
    const gif = await animatedGif(3);
    const file = await uploadOne(ana, general.id, gif, 'dance.gif', 'image/gif');
    expect(file).toMatchObject({ mimeType: 'image/gif', kind: 'image', width: 20, height: 20 });
    const original = await sharp((await content(ana, file.url).expect(200)).body as Buffer, { animated: true }).metadata();
    expect(original).toMatchObject({ format: 'gif', pages: 3 });
    const thumbnail = await sharp((await content(ana, `${file.url}?variant=thumbnail`).expect(200)).body as Buffer, { animated: true }).metadata();
    expect(thumbnail.format).toBe('webp');
    expect(thumbnail.pages ?? 1).toBe(1);
  });

  it('stores an "image" that does not decode as a plain file, served as an attachment', async () => {
    // A PNG's signature and header, then the start of its pixels cut off: typed as PNG, undecodable.
    const whole = await png(30, 30);
    const broken = whole.subarray(0, whole.length - 20);
    const file = await uploadOne(ana, general.id, broken, 'broken.png', 'image/png');
    expect(file).toMatchObject({ mimeType: 'image/png', kind: 'file', width: null, height: null, previewUrl: null, thumbnailUrl: null, size: broken.length });
    const back = await content(ana, file.url).expect(200);
    expect(sha256(back.body as Buffer)).toBe(sha256(broken));
    expect(back.headers['content-disposition']).toMatch(/^attachment;/);
    await content(ana, `${file.url}?variant=thumbnail`).expect(404);
  });

  it('answers ranges with 206 and Content-Range, and an unsatisfiable one with 416', async () => {
    const bytes = noise(10_000);
    const file = await uploadOne(ana, general.id, bytes, 'clip.bin');
    const ranged = (range: string) => content(ana, file.url).set('Range', range);
    const middle = await ranged('bytes=100-199').expect(206);
    expect(middle.headers['content-range']).toBe('bytes 100-199/10000');
    expect(middle.headers['content-length']).toBe('100');
    expect((middle.body as Buffer).equals(bytes.subarray(100, 200))).toBe(true);
    const tail = await ranged('bytes=-50').expect(206);
    expect((tail.body as Buffer).equals(bytes.subarray(9950))).toBe(true);
    const open = await ranged('bytes=9990-').expect(206);
    expect(open.headers['content-range']).toBe('bytes 9990-9999/10000');
    for (const bad of ['bytes=10000-', 'bytes=500-100', 'bytes=abc', 'bytes=-0']) {
      const refused = await ranged(bad).expect(416);
      expect(refused.headers['content-range']).toBe('bytes */10000');
      expect(refused.headers['x-content-type-options']).toBe('nosniff');
    }
    // Another unit is ignored: the whole file.
    expect(((await ranged('items=0-1').expect(200)).body as Buffer).length).toBe(10_000);
  });

  it("is the channel's: a non-member of a private channel, an outsider and an unknown id get 404; a non-member may not upload", async () => {
    const file = await uploadOne(bruno, secret.id, Buffer.from('between us'), 'secret.txt');
    await bruno.get(`/api/files/${file.id}`).expect(200);
    await content(ana, file.url).expect(404); // not sent yet: only its uploader sees it
    for (const p of [carla, outsider]) {
      expect((await p.get(`/api/files/${file.id}`).expect(404)).body).toMatchObject({ code: CommonErrorCode.NotFound });
      await content(p, file.url).expect(404);
      await content(p, `${file.url}?variant=preview`).expect(404);
    }
    await ana.get('/api/files/00000000-0000-4000-8000-000000000000').expect(404);
    await ana.get('/api/files/not-a-uuid').expect(404);
    expect((await upload(carla, secret.id, [{ bytes: Buffer.from('x'), name: 'x.txt' }]).expect(404)).body).toMatchObject({ code: CommonErrorCode.NotFound });
    expect((await upload(outsider, general.id, [{ bytes: Buffer.from('x'), name: 'x.txt' }]).expect(404)).body).toMatchObject({ code: CommonErrorCode.NotFound });
    // Carla sees the public channel but is not in it: she may not post there.
    await upload(carla, general.id, [{ bytes: Buffer.from('x'), name: 'x.txt' }]).expect(403);
  });

  it("a private channel's sent file: members read it, a non-member gets 404, and after its message is deleted everyone does", async () => {
    const bytes = await png(30, 20);
    const file = await uploadOne(bruno, secret.id, bytes, 'plan.png');
    const message = await bruno.send(secret.id, 'the plan', { fileIds: [file.id] });
    expect(message.files.map((f) => f.id)).toEqual([file.id]);
    expect(message.files[0]).toMatchObject({ messageId: message.id, kind: 'image' });
    // Sent: the other member may read it now, not only its uploader.
    for (const member of [ana, bruno]) {
      expect((await member.get(`/api/files/${file.id}`).expect(200)).body).toMatchObject({ id: file.id, messageId: message.id });
      const back = await content(member, file.url).expect(200);
      // The stored image is the cleaned one (not the bytes sent): the one the upload measured and hashed.
      expect((back.body as Buffer).length).toBe(file.size);
      expect(back.headers.etag).toBe(`"${sha256(back.body as Buffer)}"`);
      await content(member, file.thumbnailUrl!).expect(200);
    }
    const paths = [`/api/files/${file.id}`, file.url, file.previewUrl!, file.thumbnailUrl!, `${file.url}?download=1`];
    // Carla is in the workspace, not in the channel; the outsider is in neither.
    for (const p of [carla, outsider]) {
      for (const path of paths) {
        expect((await content(p, path).expect(404)).headers['content-type']).toMatch(/^application\/json/);
      }
    }
    await bruno.delete(`/api/messages/${message.id}`).expect(204);
    for (const p of [ana, bruno, carla, outsider]) {
      for (const path of paths) await content(p, path).expect(404);
    }
  });

  it('is gone once deleted, or once its message is', async () => {
    const file = await uploadOne(ana, general.id, Buffer.from('soon gone'), 'gone.txt');
    const message = await ana.send(general.id, 'with a file', { fileIds: [file.id] });
    await bruno.get(`/api/files/${file.id}`).expect(200); // sent: every reader of the channel sees it
    await ana.delete(`/api/messages/${message.id}`).expect(204);
    await ana.get(`/api/files/${file.id}`).expect(404);
    await content(bruno, file.url).expect(404);
    const removed = await uploadOne(ana, general.id, Buffer.from('removed'), 'removed.txt');
    await t.dataSource.query('UPDATE files SET deleted_at = now() WHERE id = $1', [removed.id]);
    await ana.get(`/api/files/${removed.id}`).expect(404);
    await content(ana, removed.url).expect(404);
  });

  it('neutralises path traversal, control and bidi characters in names', async () => {
    const names: [string, string][] = [
      ['../../etc/passwd', 'passwd'],
      ['..\\..\\x', 'x'],
      ['C:\\Users\\me\\report.bin', 'report.bin'],
      ['invoice\u202Etxt.exe', 'invoicetxt.exe'],
      ['\u2066hidden\u2069.bin', 'hidden.bin'],
      ['tab\there: x.bin', 'tabhere_ x.bin'],
      ['...hidden', 'hidden'],
      ['..', 'file'],
      ['a'.repeat(500) + '.bin', 'a'.repeat(FILE_NAME_MAX_LENGTH - 4) + '.bin'],
    ];
    for (const [sent, stored] of names) {
      const file = await uploadOne(ana, general.id, noise(64), sent);
      expect([sent, file.name]).toEqual([sent, stored]);
      const back = await content(ana, file.url).expect(200);
      expect(back.headers['content-disposition']).toMatch(/^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%._~!$&+,;=@-]*$/);
    }
    // The storage holds one folder per workspace, named by its id, and nothing else.
    const folders = readdirSync(join(t.config.dataDir, 'files'));
    expect(folders.length).toBeGreaterThan(0);
    expect(folders.filter((name) => !/^[0-9a-f-]{36}$/.test(name))).toEqual([]);
  });

  describe('the files cookie', () => {
    /** Signs `p` in again as the web app does (refresh token in a cookie) and returns the cookies set. */
    const webSignIn = async (p: Person): Promise<{ accessToken: string; cookies: string[] }> => {
      const before = sink.mailsTo(p.email).length;
      await request(t.url).post('/api/auth/code').send({ email: p.email }).expect(202);
      const code = await sink.waitForCode(p.email, before);
      const response = await request(t.url).post('/api/auth/verify').send({ email: p.email, code, refreshTokenIn: 'cookie' }).expect(200);
      return { accessToken: response.body.accessToken as string, cookies: response.headers['set-cookie'] as unknown as string[] };
    };
    const filesCookie = (cookies: string[]) => cookies.find((cookie) => cookie.startsWith(`${FILES_COOKIE}=`));

    it('is set at sign-in and refresh (HttpOnly, SameSite=Strict, Path=/api/files) and cleared at sign-out', async () => {
      const { accessToken, cookies } = await webSignIn(bruno);
      const cookie = filesCookie(cookies)!;
      expect(cookie).toContain(`${FILES_COOKIE}=${accessToken}`);
      expect(cookie).toMatch(/; Path=\/api\/files/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Strict/);
      expect(cookie).not.toMatch(/; Secure/); // plain http here (PUBLIC_URL is http)
      const refresh = cookies.find((c) => c.startsWith('parley_refresh='))!.split(';')[0];
      const refreshed = await request(t.url).post('/api/auth/refresh').set('Cookie', refresh).send({}).expect(200);
      expect(filesCookie(refreshed.headers['set-cookie'] as unknown as string[])).toContain(`${FILES_COOKIE}=${refreshed.body.accessToken}`);
      const out = await request(t.url).post('/api/auth/logout').auth(refreshed.body.accessToken, { type: 'bearer' }).expect(204);
      expect(filesCookie(out.headers['set-cookie'] as unknown as string[])).toMatch(new RegExp(`^${FILES_COOKIE}=;.*Expires=Thu, 01 Jan 1970`));
    });

    it('authenticates the content route, and only it', async () => {
      const file = await uploadOne(bruno, general.id, noise(500), 'cookie.bin');
      const { cookies } = await webSignIn(bruno);
      const cookie = filesCookie(cookies)!.split(';')[0];
      const back = await request(t.url).get(file.url).set('Cookie', cookie).buffer(true).parse(binary).expect(200);
      expect((back.body as Buffer).length).toBe(500);
      expect((await request(t.url).get(`/api/files/${file.id}`).set('Cookie', cookie).expect(401)).body).toMatchObject({ code: AuthErrorCode.TokenMissing });
      await request(t.url).get('/api/users/me').set('Cookie', cookie).expect(401);
      await request(t.url).post(`/api/channels/${general.id}/files`).set('Cookie', cookie).attach('file', Buffer.from('x'), 'x.bin').expect(401);
      expect((await request(t.url).get(file.url).expect(401)).body).toMatchObject({ code: AuthErrorCode.TokenMissing });
      await request(t.url).get(file.url).set('Cookie', `${FILES_COOKIE}=not-a-token`).expect(401);
      // The cookie carries the person's access, no more: Carla's does not open the private channel's file.
      const hidden = await uploadOne(bruno, secret.id, noise(10), 'hidden.bin');
      const carlas = filesCookie((await webSignIn(carla)).cookies)!.split(';')[0];
      await request(t.url).get(hidden.url).set('Cookie', carlas).expect(404);
    });

    it('lives no longer than its access token, nor past sign-out: an expired or signed-out cookie gets 401', async () => {
      const file = await uploadOne(bruno, general.id, noise(100), 'short-lived.bin');
      const { accessToken, cookies } = await webSignIn(bruno);
      const cookie = filesCookie(cookies)!.split(';')[0];
      await request(t.url).get(file.url).set('Cookie', cookie).expect(200);
      // The same session and person, but expired: refused, even though the session is alive.
      const { sub, sid } = decode(accessToken) as { sub: string; sid: string };
      const expired = sign({ sub, sid }, t.config.jwtSecret, { algorithm: 'HS256', expiresIn: -10 });
      await request(t.url).get(file.url).set('Cookie', `${FILES_COOKIE}=${expired}`).expect(401);
      // Signed out: the cookie a browser may still hold (or a copy of it) opens nothing.
      await request(t.url).post('/api/auth/logout').auth(accessToken, { type: 'bearer' }).expect(204);
      await request(t.url).get(file.url).set('Cookie', cookie).expect(401);
    });
  });
});
