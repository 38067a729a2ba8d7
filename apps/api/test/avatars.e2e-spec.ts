import { AVATAR_SIZES, CommonErrorCode, FileErrorCode, UserDto, UserUpdatedEvent } from '@parley/contracts';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import sharp from 'sharp';
import { Person, person } from './support/api-client';
import { binary, download, exifHasGps, jpegWithGps, png } from './support/files';
import { SmtpSink } from './support/smtp-sink';
import { collect, eventually } from './support/sockets';
import { socketsPerTest } from './support/suites';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

/** Issue 14: profile pictures, uploaded, made square in every size, served with the files' headers. */
describe.each(databaseModes())('profile pictures (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let ana: Person, bruno: Person;
  const { open } = socketsPerTest(() => t.url);

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({
      mode,
      env: { SMTP_URL: sink.url, RATE_LIMIT_CODE_PER_IP: '1000', RATE_LIMIT_VERIFY_PER_IP: '1000' },
    });
    [ana, bruno] = await Promise.all(['Ana', 'Bruno'].map((name) => person(t.url, sink, name)));
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  const put = (p: Person, bytes: Buffer, name = 'me.png') =>
    request(t.url).put('/api/users/me/avatar').auth(p.auth.accessToken, { type: 'bearer' }).attach('file', bytes, name);

  it('a photo becomes a square WebP in every size, oriented and without its EXIF (GPS); anyone signed in sees it, nobody signed out', async () => {
    // 300 × 200 with orientation 6 (turned a quarter): shown 200 × 300, cropped to the centred square.
    const answer = (await put(ana, await jpegWithGps(300, 200, 6), 'holiday.jpg').expect(200)).body as UserDto;
    expect(answer.avatarUrl).toMatch(new RegExp(`^/api/files/avatars/${ana.id}/[0-9a-f-]{36}$`));
    expect(((await ana.get('/api/users/me').expect(200)).body as UserDto).avatarUrl).toBe(answer.avatarUrl);
    for (const size of AVATAR_SIZES) {
      const got = await download(t.url, bruno.auth.accessToken, `${answer.avatarUrl}?size=${size}`).expect(200);
      expect(got.headers['content-type']).toBe('image/webp');
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(got.headers['content-security-policy']).toBe('sandbox');
      const meta = await sharp(got.body as Buffer).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: size, height: size });
      expect(exifHasGps(meta.exif)).toBe(false);
    }
    // The default size, and no picture for someone signed out.
    expect(
      (await sharp((await download(t.url, bruno.auth.accessToken, answer.avatarUrl!).expect(200)).body as Buffer).metadata())
        .width,
    ).toBe(128);
    await request(t.url).get(answer.avatarUrl!).expect(401);
    await download(t.url, bruno.auth.accessToken, `${answer.avatarUrl}?size=999`).expect(400);
  });

  it('a new picture or name reaches the people who share a workspace with the person live (userUpdated), and nobody else', async () => {
    const ws = await ana.createWorkspace('Faces');
    const [carla, dora, outsider] = await Promise.all(['Carla', 'Dora', 'Otto'].map((name) => person(t.url, sink, name)));
    await ana.invite(ws.id, carla);
    await ana.invite(ws.id, dora);
    const [atCarla, atOutsider, atDoraElsewhere] = [
      collect(await open(carla), 'userUpdated'),
      collect(await open(outsider), 'userUpdated'),
      collect(await open(dora), 'userUpdated'),
    ];
    const picture = ((await put(dora, await png(64, 64, '#00f')).expect(200)).body as UserDto).avatarUrl!;
    const expected: UserUpdatedEvent = { userId: dora.id, displayName: 'Dora', avatarUrl: picture, statusText: null };
    await eventually(() => expect(atCarla).toContainEqual(expected));
    await eventually(() => expect(atDoraElsewhere).toContainEqual(expected));
    await dora.patch('/api/users/me', { displayName: 'Dora Reis' }).expect(200);
    await eventually(() => expect(atCarla).toContainEqual({ ...expected, displayName: 'Dora Reis' }));
    // What changes nothing others see sends nothing.
    const seen = atCarla.length;
    await dora.patch('/api/users/me', { readReceipts: false }).expect(200);
    await dora.patch('/api/users/me', { readReceipts: true }).expect(200);
    await dora.patch('/api/users/me', { displayName: 'Dora Reis' }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(atCarla).toHaveLength(seen);
    expect(atOutsider).toEqual([]);
  });

  it('removing a picture with PATCH /api/users/me {avatarUrl: null} takes its bytes out of the storage too; any other avatarUrl is refused', async () => {
    const eve = await person(t.url, sink, 'Eve');
    const url = ((await put(eve, await png(64, 64, '#ff0')).expect(200)).body as UserDto).avatarUrl!;
    const avatarId = url.split('/').pop()!;
    const stored = () => readdirSync(join(t.config.dataDir, 'files', eve.id, avatarId), { withFileTypes: false }).length;
    expect(stored()).toBe(3);
    expect(((await eve.patch('/api/users/me', { avatarUrl: null }).expect(200)).body as UserDto).avatarUrl).toBeNull();
    await eventually(() => expect(existsSync(join(t.config.dataDir, 'files', eve.id, avatarId)) ? stored() : 0).toBe(0));
    await download(t.url, ana.auth.accessToken, url).expect(404);
    await eve.patch('/api/users/me', { avatarUrl: `/api/files/avatars/${ana.id}/${avatarId}` }).expect(400);
  });

  it('a new picture replaces the old one (whose address then answers 404); removing it goes back to initials', async () => {
    const first = ((await put(bruno, await png(64, 64, '#f00')).expect(200)).body as UserDto).avatarUrl!;
    const second = ((await put(bruno, await png(80, 40, '#0f0')).expect(200)).body as UserDto).avatarUrl!;
    expect(second).not.toBe(first);
    await download(t.url, ana.auth.accessToken, first).expect(404);
    const pixel = await sharp((await download(t.url, ana.auth.accessToken, `${second}?size=64`).expect(200)).body as Buffer)
      .raw()
      .toBuffer();
    // Green (WebP is lossy: a channel may be off by a little).
    const [red, green, blue] = [pixel[0], pixel[1], pixel[2]];
    expect(red).toBeLessThanOrEqual(8);
    expect(green).toBeGreaterThanOrEqual(247);
    expect(blue).toBeLessThanOrEqual(8);
    expect(((await bruno.delete('/api/users/me/avatar').expect(200)).body as UserDto).avatarUrl).toBeNull();
    await download(t.url, ana.auth.accessToken, second).expect(404);
  });

  it('refuses what is not a picture, a file that is too large, a body that is not multipart, and made-up addresses', async () => {
    const html = Buffer.from('<!doctype html><script>alert(1)</script>');
    expect((await put(ana, html, 'evil.png').expect(400)).body).toMatchObject({ code: FileErrorCode.UploadInvalid });
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
    expect((await put(ana, svg, 'evil.svg').expect(400)).body).toMatchObject({ code: FileErrorCode.UploadInvalid });
    expect((await put(ana, Buffer.alloc(11 * 1024 * 1024, 1), 'huge.png').expect(413)).body).toMatchObject({
      code: FileErrorCode.TooLarge,
    });
    expect((await ana.put('/api/users/me/avatar', { file: 'x' }).expect(400)).body).toMatchObject({
      code: FileErrorCode.UploadInvalid,
    });
    // A refused upload leaves the picture as it was.
    const kept = ((await ana.get('/api/users/me').expect(200)).body as UserDto).avatarUrl;
    expect(kept).toMatch(/^\/api\/files\/avatars\//);
    await download(t.url, ana.auth.accessToken, kept!).expect(200);
    // Someone else's id with Ana's picture id, an unknown id, and a path that is not a UUID.
    const avatarId = kept!.split('/').at(-1)!;
    await download(t.url, ana.auth.accessToken, `/api/files/avatars/${bruno.id}/${avatarId}`).expect(404);
    await download(t.url, ana.auth.accessToken, `/api/files/avatars/${ana.id}/00000000-0000-4000-8000-000000000000`).expect(404);
    expect(
      (await download(t.url, ana.auth.accessToken, `/api/files/avatars/${ana.id}/..%2F..%2Fetc`).expect(400)).body.toString(),
    ).toContain(`"code":"${CommonErrorCode.BadRequest}"`);
  });

  it('the files cookie opens a picture in a browser', async () => {
    const url = ((await ana.get('/api/users/me').expect(200)).body as UserDto).avatarUrl!;
    const got = await request(t.url)
      .get(url)
      .set('Cookie', `parley_files=${bruno.auth.accessToken}`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(got.headers['cache-control']).toContain('immutable');
  });
});
