import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { FileDto, FileErrorCode, UploadResult } from '@parley/contracts';
import S3rver from 's3rver';
import request from 'supertest';
import { FileSweeper } from '@api/files/file-sweeper';
import { Person, person } from './support/api-client';
import { binary, download, jpegWithGps, sha256 } from './support/files';
import { SmtpSink } from './support/smtp-sink';
import { databaseModes, startTestApp, TestApp } from './support/test-app';
import sharp from 'sharp';

const BUCKET = 'parley-test-files';
const HOUR = 3600_000;
/** s3rver's own credentials: it checks request signatures against them. */
const KEYS = { S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' };

/**
 * The S3 driver against a real S3-protocol server (s3rver, on a free port and a temporary
 * directory, its bucket created here through the SDK): the same round trip, ranges and image
 * cleaning as on the local disk, multipart uploads past one part, presigned redirects, and the
 * sweeper deleting objects from the bucket.
 */
describe.each(databaseModes())('files on S3 (%s database)', (mode) => {
  let s3: S3rver;
  let s3Dir: string;
  let endpoint: string;
  let client: S3Client;
  let sink: SmtpSink;
  let t: TestApp;
  let ana: Person;
  let channelId: string;
  let env: Record<string, string>;

  /** Another instance on the bucket, with its own database, someone signed in there and a channel of theirs. */
  const another = async (extra: Record<string, string>) => {
    const app = await startTestApp({ mode, env: { ...env, ...extra } });
    const someone = await person(app.url, sink, 'Bea');
    const ws = await someone.createWorkspace('Elsewhere');
    return { app, someone, channel: await someone.createChannel(ws.id, 'media') };
  };

  beforeAll(async () => {
    s3Dir = mkdtempSync(join(tmpdir(), 'parley-s3-'));
    s3 = new S3rver({ address: '127.0.0.1', port: 0, directory: s3Dir, silent: true });
    const { port } = await s3.run();
    endpoint = `http://127.0.0.1:${port}`;
    client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    sink = await SmtpSink.start();
    env = {
      SMTP_URL: sink.url,
      RATE_LIMIT_CODE_PER_IP: '1000',
      RATE_LIMIT_VERIFY_PER_IP: '1000',
      FILE_STORAGE: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: BUCKET,
      S3_REGION: 'us-east-1',
      S3_FORCE_PATH_STYLE: 'true',
      ...KEYS,
    };
    t = await startTestApp({ mode, env });
    ana = await person(t.url, sink, 'Ana');
    const ws = await ana.createWorkspace('Bucket');
    channelId = (await ana.createChannel(ws.id, 'media')).id;
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
    client?.destroy();
    await s3?.close();
    if (s3Dir) rmSync(s3Dir, { recursive: true, force: true });
  });

  const uploadOne = async (bytes: Buffer, name: string): Promise<FileDto> => {
    const response = await request(t.url)
      .post(`/api/channels/${channelId}/files`)
      .auth(ana.auth.accessToken, { type: 'bearer' })
      .attach('file', bytes, name);
    if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${JSON.stringify(response.body)}`);
    return (response.body as UploadResult).files[0];
  };
  const keysOf = async (fileId: string) =>
    ((await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? [])
      .map((object) => object.Key!)
      .filter((key) => key.includes(fileId))
      .sort();

  it('round trip through the bucket: bytes and SHA-256 equal, past one multipart part', async () => {
    const bytes = Buffer.concat([Buffer.alloc(16), randomBytes(12 * 1024 * 1024)]);
    const file = await uploadOne(bytes, 'big.bin');
    expect(file).toMatchObject({ size: bytes.length, mimeType: 'application/octet-stream', kind: 'file' });
    const [key] = await keysOf(file.id);
    expect(key).toMatch(new RegExp(`^[0-9a-f-]{36}/${file.id}/original$`));
    expect((await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ContentLength).toBe(bytes.length);
    const back = await download(t.url, ana.auth.accessToken, file.url).expect(200);
    expect(sha256(back.body as Buffer)).toBe(sha256(bytes));
    expect(back.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'content-security-policy': 'sandbox',
      etag: `"${sha256(bytes)}"`,
    });
  });

  it('serves ranges from the bucket (206) and refuses unsatisfiable ones (416)', async () => {
    const bytes = Buffer.concat([Buffer.alloc(16), randomBytes(50_000)]);
    const file = await uploadOne(bytes, 'clip.bin');
    const ranged = await download(t.url, ana.auth.accessToken, file.url).set('Range', 'bytes=1000-1999').expect(206);
    expect(ranged.headers['content-range']).toBe(`bytes 1000-1999/${bytes.length}`);
    expect((ranged.body as Buffer).equals(bytes.subarray(1000, 2000))).toBe(true);
    const refused = await download(t.url, ana.auth.accessToken, file.url).set('Range', `bytes=${bytes.length}-`).expect(416);
    expect(refused.headers['content-range']).toBe(`bytes */${bytes.length}`);
  });

  it('keeps the cleaned image and its renditions in the bucket', async () => {
    const file = await uploadOne(await jpegWithGps(80, 40, 6), 'trip.jpg');
    expect(file).toMatchObject({ kind: 'image', width: 40, height: 80 });
    expect((await keysOf(file.id)).map((key) => key.split('/')[2])).toEqual(['original', 'preview', 'thumbnail']);
    const stored = await sharp((await download(t.url, ana.auth.accessToken, file.url).expect(200)).body as Buffer).metadata();
    expect(stored.exif).toBeUndefined();
  });

  // Before the tests that start another instance: passport keeps one 'jwt' strategy per process, the
  // last app's, so `t` no longer takes tokens after them. Its second sweep removes every unsent upload
  // of this database, which no later test uses.
  it("deletes a deleted message's objects from the bucket at the sweep, and an upload never sent after the TTL", async () => {
    const sweeper = t.app.get(FileSweeper);
    const image = await uploadOne(await jpegWithGps(60, 40), 'gone.jpg');
    const message = await ana.send(channelId, 'soon gone', { fileIds: [image.id] });
    const draft = await uploadOne(Buffer.from('never sent'), 'draft.txt');
    const imageKeys = await keysOf(image.id);
    expect(imageKeys.map((key) => key.split('/')[2])).toEqual(['original', 'preview', 'thumbnail']);
    const [draftKey] = await keysOf(draft.id);

    await ana.delete(`/api/messages/${message.id}`).expect(204);
    for (const path of [image.url, image.thumbnailUrl!]) await download(t.url, ana.auth.accessToken, path).expect(404);
    // Off every read path at once; the bytes stay until the sweep.
    expect(await keysOf(image.id)).toEqual(imageKeys);

    expect((await sweeper.sweep(new Date())).purged).toBeGreaterThanOrEqual(1);
    expect(await keysOf(image.id)).toEqual([]);
    for (const key of imageKeys) {
      await expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 404 },
      });
    }
    for (const path of [`/api/files/${image.id}`, image.url, image.previewUrl!, image.thumbnailUrl!]) {
      await download(t.url, ana.auth.accessToken, path).expect(404);
    }
    // The draft is younger than the TTL: kept, and its uploader still reads it.
    expect(await keysOf(draft.id)).toEqual([draftKey]);
    await download(t.url, ana.auth.accessToken, draft.url).expect(200);

    await sweeper.sweep(new Date(new Date(draft.createdAt).getTime() + 24 * HOUR + 1000));
    expect(await keysOf(draft.id)).toEqual([]);
    await download(t.url, ana.auth.accessToken, `/api/files/${draft.id}`).expect(404);
    await download(t.url, ana.auth.accessToken, draft.url).expect(404);
  });

  it('with S3_PRESIGNED_DOWNLOADS, redirects to a presigned URL after the access check, with the safe headers', async () => {
    const { app: presigned, someone, channel } = await another({ S3_PRESIGNED_DOWNLOADS: 'true' });
    try {
      const html = Buffer.from('<html><script>alert(document.cookie)</script></html>');
      const uploaded = await request(presigned.url)
        .post(`/api/channels/${channel.id}/files`)
        .auth(someone.auth.accessToken, { type: 'bearer' })
        .attach('file', html, 'page.png')
        .expect(201);
      const file = (uploaded.body as UploadResult).files[0];
      const redirect = await request(presigned.url)
        .get(file.url)
        .auth(someone.auth.accessToken, { type: 'bearer' })
        .redirects(0)
        .expect(302);
      const location = new URL(redirect.headers.location);
      expect(location.origin).toBe(endpoint);
      expect(location.searchParams.get('X-Amz-Expires')).toBe('60');
      const fetched = await request(location.origin)
        .get(location.pathname + location.search)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(sha256(fetched.body as Buffer)).toBe(sha256(html));
      expect(fetched.headers['content-disposition']).toMatch(/^attachment; filename="page.html"/);
      expect(fetched.headers['content-type']).toMatch(/^text\/html/);
      // No redirect for someone who may not read it, nor without a token.
      const stranger = await person(presigned.url, sink, 'Stranger');
      await request(presigned.url).get(file.url).auth(stranger.auth.accessToken, { type: 'bearer' }).redirects(0).expect(404);
      await request(presigned.url).get(file.url).redirects(0).expect(401);
      // Signed, for 60 s, with our headers baked into the signature (s3rver does not check signatures, AWS and MinIO do).
      expect(location.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
      expect(location.searchParams.get('response-content-disposition')).toMatch(/^attachment;/);
    } finally {
      await presigned.close();
    }
  });

  it('refuses too large an upload without leaving anything in the bucket', async () => {
    const { app: small, someone, channel } = await another({ FILE_MAX_BYTES: '1000' });
    try {
      const before = (await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount;
      const refused = await request(small.url)
        .post(`/api/channels/${channel.id}/files`)
        .auth(someone.auth.accessToken, { type: 'bearer' })
        .attach('file', randomBytes(5000), 'x.bin')
        .expect(413);
      expect(refused.body).toMatchObject({ code: FileErrorCode.TooLarge });
      expect((await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount).toBe(before);
    } finally {
      await small.close();
    }
  });
});
