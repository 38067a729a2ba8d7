import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createSocket, Socket as UdpSocket } from 'node:dgram';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthResponse, ChannelDto, MessageDto, SessionDto, UploadResult, WorkspaceDto } from '@parley/contracts';
import { io } from 'socket.io-client';
import request from 'supertest';
import { Person } from './support/api-client';
import { createDatabase, dropDatabase, serverUrl } from './support/databases';
import { SmtpSink } from './support/smtp-sink';
import { call, callOk, ClientSocket, collect, connectSocket, eventually } from './support/sockets';
import { SpawnedApi } from './support/spawned-api';
import { download, sha256 } from './support/files';

// Two api instances behind Debian's nginx running the shipped deploy/nginx.conf, with only the
// upstream addresses and the listen ports substituted (and the file wrapped in the http {} block
// that nginx's own nginx.conf, or the nginx image's, puts around conf.d/*.conf).

const root = join(__dirname, '..', '..', '..');
const nginx = [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'].find(
  (path) => path && existsSync(path) && spawnSync(path, ['-v']).status === 0,
);
const redisUrl = process.env.REDIS_URL;
const skipReason = !nginx
  ? 'nginx is not installed (apt-get install nginx, or set NGINX_PATH)'
  : !serverUrl() || !redisUrl
    ? 'it needs DATABASE_URL (PostgreSQL) and REDIS_URL (Redis)'
    : null;
if (skipReason) console.log(`[parley] nginx load-balancer tests SKIPPED: ${skipReason}.`);
const describeBehindNginx = skipReason ? describe.skip : describe;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A DNS server for nginx's resolver, standing in for Docker's at 127.0.0.11: answers A queries
 * for the names in `records` and NXDOMAIN for the rest, so a test can remove or move an api.
 */
class StandInDns {
  readonly records = new Map<string, string>();
  private constructor(
    private readonly socket: UdpSocket,
    readonly port: number,
  ) {
    socket.on('message', (query, peer) => socket.send(this.answer(query), peer.port, peer.address));
  }

  static async start(): Promise<StandInDns> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new StandInDns(socket, socket.address().port);
  }

  private answer(query: Buffer): Buffer {
    const labels: string[] = [];
    let at = 12;
    while (query[at] !== 0) {
      labels.push(query.toString('ascii', at + 1, at + 1 + query[at]));
      at += query[at] + 1;
    }
    const question = query.subarray(12, at + 5); // name, type, class
    const address = query.readUInt16BE(at + 1) === 1 ? this.records.get(labels.join('.').toLowerCase()) : undefined;
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // id
    header.writeUInt16BE(address ? 0x8180 : 0x8183, 2); // a response; NXDOMAIN without an address
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(address ? 1 : 0, 6);
    if (!address) return Buffer.concat([header, question]);
    const record = Buffer.alloc(16);
    record.writeUInt16BE(0xc00c, 0); // the name in the question
    record.writeUInt16BE(1, 2); // A
    record.writeUInt16BE(1, 4); // IN
    record.writeUInt32BE(1, 6); // TTL (nginx keeps the answer for its resolver's valid=)
    record.writeUInt16BE(4, 10);
    address.split('.').forEach((octet, i) => record.writeUInt8(Number(octet), 12 + i));
    return Buffer.concat([header, question, record]);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request from a chosen loopback address (127.0.0.0/8 is all ours), so each address is a different client to nginx. */
function http(
  from: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: object } = {},
): Promise<Reply> {
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: init.method ?? 'GET',
        localAddress: from,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...init.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describeBehindNginx("two instances behind Debian's nginx with deploy/nginx.conf (needs nginx, DATABASE_URL, REDIS_URL)", () => {
  let sink: SmtpSink;
  let dns: StandInDns;
  let databaseUrl: string;
  let apiEnv: Record<string, string>;
  const apiPorts: Record<string, number> = {};
  let dir: string;
  let proxy: ChildProcess | undefined;
  let proxyOutput = '';
  let lb: string;
  let front: number;
  const apis: Record<string, SpawnedApi> = {};
  const sockets: ClientSocket[] = [];
  let ana: Person;
  let bruno: Person;
  let ws: WorkspaceDto;
  let general: ChannelDto;
  /** Which instance nginx sends a client address to. */
  const instanceOf = new Map<string, string>();

  const instance = (reply: Reply) => reply.headers['x-parley-instance'] as string;

  /** A client address nginx sends to that instance (127.0.0.1 when no address of the ones tried is). */
  async function addressServedBy(id: string): Promise<string> {
    for (let i = 2; i < 42; i++) {
      const address = `127.0.0.${i}`;
      if (!instanceOf.has(address)) instanceOf.set(address, instance(await http(address, `${lb}/health`)));
      if (instanceOf.get(address) === id) return address;
    }
    return '127.0.0.1';
  }

  /** Registers and verifies through nginx from one client address, as a browser there would. */
  async function signInFrom(from: string, email: string, headers: Record<string, string> = {}): Promise<AuthResponse> {
    const before = sink.mailsTo(email).length;
    const registered = await http(from, `${lb}/api/auth/register`, {
      method: 'POST',
      headers,
      body: { email, displayName: email.split('@')[0] },
    });
    expect(registered.status).toBe(202);
    const code = await sink.waitForCode(email, before);
    const verified = await http(from, `${lb}/api/auth/verify`, { method: 'POST', headers, body: { email, code } });
    expect(verified.status).toBe(200);
    return JSON.parse(verified.body) as AuthResponse;
  }

  beforeAll(async () => {
    sink = await SmtpSink.start();
    dns = await StandInDns.start();
    databaseUrl = await createDatabase('parley_nginx');
    dir = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
    const [api1, api2, relay1, relay2] = [await freePort(), await freePort(), await freePort(), await freePort()];
    front = await freePort();
    Object.assign(apiPorts, { api1, api2 });
    lb = `http://127.0.0.1:${front}`;

    let webDir = join(root, 'dist', 'web', 'browser');
    if (!existsSync(join(webDir, 'index.html'))) {
      // Not built (`npm run build:web`): a stand-in page, served by the same code path.
      webDir = join(dir, 'web');
      mkdirSync(webDir);
      writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Parley</title><app-root></app-root>');
    }
    const env = (apiEnv = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl!,
      REDIS_PREFIX: `parley-nginx-${randomUUID().slice(0, 8)}`,
      JWT_SECRET: randomBytes(48).toString('base64'),
      SMTP_URL: sink.url,
      // What people are told to use; the browser test below comes from another address of the same server.
      PUBLIC_URL: `http://localhost:${front}`,
      TRUST_PROXY: '1',
      WEB_DIR: webDir,
      // One folder for both, as compose gives them one files volume.
      DATA_DIR: join(dir, 'data'),
      RATE_LIMIT_CODE_PER_IP: '4',
      RATE_LIMIT_VERIFY_PER_IP: '1000',
      RATE_LIMIT_SEND_BURST: '1000',
    });
    // Both start together, as compose starts them: migrations wait for each other on the advisory lock.
    const [one, two] = await Promise.all([
      SpawnedApi.start(api1, { ...env, INSTANCE_ID: 'api1' }),
      SpawnedApi.start(api2, { ...env, INSTANCE_ID: 'api2' }),
    ]);
    apis.api1 = one;
    apis.api2 = two;

    const shipped = readFileSync(join(root, 'deploy', 'nginx.conf'), 'utf8');
    const conf = shipped
      .replace(/listen 80;/, `listen 127.0.0.1:${front};`)
      .replace(/127\.0\.0\.1:8001/g, `127.0.0.1:${relay1}`)
      .replace(/127\.0\.0\.1:8002/g, `127.0.0.1:${relay2}`)
      .replace(/\bapi1:3000\b/, `api1:${api1}`)
      .replace(/\bapi2:3000\b/, `api2:${api2}`)
      .replace(/resolver 127\.0\.0\.11 /, `resolver 127.0.0.1:${dns.port} `);
    // Every address nginx would use is substituted (comments aside).
    expect(conf.replace(/#.*$/gm, '')).not.toMatch(/\bapi[12]:3000|listen 80;|:800[12]\b|127\.0\.0\.11/);
    dns.records.set('api1', '127.0.0.1').set('api2', '127.0.0.1');
    writeFileSync(join(dir, 'parley.conf'), conf);
    writeFileSync(
      join(dir, 'nginx.conf'),
      [
        'daemon off;',
        'master_process off;',
        `pid ${dir}/nginx.pid;`,
        `error_log ${dir}/error.log warn;`,
        'events { worker_connections 1024; }',
        'http {',
        '  access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${dir}/${kind}_temp;`),
        `  include ${dir}/parley.conf;`,
        '}',
        '',
      ].join('\n'),
    );
    proxy = spawn(nginx!, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proxy.stdout!.on('data', (chunk: Buffer) => (proxyOutput += chunk.toString()));
    proxy.stderr!.on('data', (chunk: Buffer) => (proxyOutput += chunk.toString()));
    await eventually(async () => {
      if (proxy!.exitCode !== null) throw new Error(`nginx exited with ${proxy!.exitCode}: ${proxyOutput}`);
      expect((await fetch(`${lb}/health`)).status).toBe(200);
    }, 15_000);

    ana = new Person(lb, await signInFrom('127.0.0.1', `ana-${randomUUID().slice(0, 6)}@example.com`));
    bruno = new Person(lb, await signInFrom('127.0.0.1', `bruno-${randomUUID().slice(0, 6)}@example.com`));
    ws = await ana.createWorkspace('Behind nginx');
    await ana.invite(ws.id, bruno);
    general = ((await ana.get(`/api/workspaces/${ws.id}/channels`).expect(200)).body as ChannelDto[]).find(
      (c) => c.name === 'general',
    )!;
  }, 180_000);

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  afterAll(async () => {
    if (proxy && proxy.exitCode === null) {
      const exited = new Promise((resolve) => proxy!.once('exit', resolve));
      proxy.kill('SIGKILL');
      await exited;
    }
    await Promise.all(Object.values(apis).map((api) => api.kill()));
    if (databaseUrl) await dropDatabase(databaseUrl);
    await sink?.stop();
    await dns?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the web app and REST through nginx, spreading the clients of one /24 over both instances and keeping each on one', async () => {
    const page = await http('127.0.0.1', `${lb}/channels/anything`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<app-root');

    const me = await ana.get('/api/users/me').expect(200);
    expect(me.body).toMatchObject({ id: ana.id });
    expect(['api1', 'api2']).toContain(me.headers['x-parley-instance']);

    const served = new Map<string, string>();
    for (let i = 2; i < 22; i++) {
      const reply = await http(`127.0.0.${i}`, `${lb}/health`);
      expect(reply.status).toBe(200);
      served.set(`127.0.0.${i}`, instance(reply));
    }
    // ip_hash used only the first three octets: all twenty went to one instance.
    expect(new Set(served.values())).toEqual(new Set(['api1', 'api2']));
    for (const [address, id] of served) expect(instance(await http(address, `${lb}/api/permissions`))).toBe(id);
  });

  it('streams an upload past the usual proxy body limit through to the api, and serves it back whole from either instance', async () => {
    const bytes = Buffer.concat([Buffer.alloc(16), randomBytes(20 * 1024 * 1024)]);
    const uploaded = await request(lb)
      .post(`/api/channels/${general.id}/files`)
      .auth(ana.auth.accessToken, { type: 'bearer' })
      .attach('file', bytes, 'big.bin')
      .expect(201);
    const file = (uploaded.body as UploadResult).files[0];
    expect(file.size).toBe(bytes.length);
    for (const api of [apis.api1, apis.api2]) {
      const back = await download(api.url, ana.auth.accessToken, file.url).expect(200);
      expect(sha256(back.body as Buffer)).toBe(sha256(bytes));
    }
  });

  it('a forged X-Forwarded-For changes neither the address a session records nor the per-address rate limit', async () => {
    const auth = await signInFrom('127.0.0.50', `forger-${randomUUID().slice(0, 6)}@example.com`, {
      'x-forwarded-for': '203.0.113.9',
    });
    const sessions = await http('127.0.0.50', `${lb}/api/auth/sessions`, {
      headers: { authorization: `Bearer ${auth.accessToken}` },
    });
    expect(sessions.status).toBe(200);
    const current = (JSON.parse(sessions.body) as SessionDto[]).find((session) => session.current)!;
    expect(current.ip).toBe('127.0.0.50');

    // RATE_LIMIT_CODE_PER_IP is 4: a fresh forged address on every request does not buy a fifth.
    const attempt = (n: number) =>
      http('127.0.0.60', `${lb}/api/auth/register`, {
        method: 'POST',
        headers: { 'x-forwarded-for': `198.51.100.${n}, 192.0.2.${n}` },
        body: { email: `spray-${n}-${randomUUID().slice(0, 6)}@example.com`, displayName: 'Spray' },
      });
    for (let n = 1; n <= 4; n++) expect((await attempt(n)).status).toBe(202);
    const limited = await attempt(5);
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body)).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The limit is that client's, not everyone's.
    const other = await http('127.0.0.61', `${lb}/api/auth/register`, {
      method: 'POST',
      body: { email: `neighbour-${randomUUID().slice(0, 6)}@example.com`, displayName: 'Neighbour' },
    });
    expect(other.status).toBe(202);
  });

  it('a browser on an address and port other than PUBLIC_URL gets live chat over polling and websocket, across both instances', async () => {
    const origin = lb; // http://127.0.0.1:<port>, while PUBLIC_URL says http://localhost:<port>
    const [onOne, onTwo] = [await addressServedBy('api1'), await addressServedBy('api2')];
    const open = (from: string, person: Person, transport: 'polling' | 'websocket', pageOrigin = origin) =>
      connectSocket(lb, person.auth.accessToken, {
        transports: [transport],
        upgrade: false,
        extraHeaders: { Origin: pageOrigin },
        // polling goes through the agent, websocket takes localAddress itself
        agent: new Agent({ localAddress: from }) as never,
        localAddress: from,
      } as Parameters<typeof io>[1]);

    const polling = await open(onOne, bruno, 'polling');
    sockets.push(polling);
    const websocket = await open(onTwo, ana, 'websocket');
    sockets.push(websocket);
    const toPolling = collect(polling, 'newMessage');
    const toWebsocket = collect(websocket, 'newMessage');

    const fromWebsocket = await call(websocket, 'sendMessage', {
      channelId: general.id,
      text: 'over websocket',
      clientMsgId: randomUUID(),
    });
    expect(fromWebsocket.ok).toBe(true);
    const fromPolling = await call(polling, 'sendMessage', {
      channelId: general.id,
      text: 'over polling',
      clientMsgId: randomUUID(),
    });
    expect(fromPolling.ok).toBe(true);
    await eventually(() => expect(toPolling.map((m) => m.text)).toEqual(['over websocket', 'over polling']));
    await eventually(() => expect(toWebsocket.map((m) => m.text)).toEqual(['over websocket', 'over polling']));

    // The origin check is still there: a foreign page is refused on both transports.
    await expect(open(onOne, bruno, 'polling', 'http://evil.example')).rejects.toThrow();
    await expect(open(onTwo, bruno, 'websocket', 'http://evil.example')).rejects.toThrow();
  });

  it('kill -9 of the instance a client is on: it resumes through nginx on the other and sync returns exactly what it missed', async () => {
    const victim = instance(await http('127.0.0.1', `${lb}/health`));
    const survivor = victim === 'api1' ? 'api2' : 'api1';
    const reader = io(lb, {
      transports: ['websocket'],
      auth: { token: bruno.auth.accessToken },
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      randomizationFactor: 0,
    }) as ClientSocket;
    sockets.push(reader);
    const connects: number[] = [];
    reader.on('connect', () => connects.push(Date.now()));
    const live = collect(reader, 'newMessage');
    await eventually(() => expect(connects).toHaveLength(1), 10_000);

    // The writer talks to the survivor directly, so its sends do not depend on the failover.
    const writer = new Person(apis[survivor].url, ana.auth);
    const send = async (text: string) =>
      (
        (await writer.post(`/api/channels/${general.id}/messages`, { text, clientMsgId: randomUUID() }).expect(201))
          .body as MessageDto
      ).seq;
    const before = await send('before the crash');
    await eventually(() => expect(live.map((m) => m.seq)).toContain(before));

    await apis[victim].kill();
    const killedAt = Date.now();
    const missed: number[] = [];
    for (let i = 0; i < 5; i++) missed.push(await send(`while ${victim} is dead ${i}`));

    // nginx notices on the first request: a GET is answered by the survivor at once.
    const health = await http('127.0.0.1', `${lb}/health`);
    expect(health.status).toBe(200);
    expect(instance(health)).toBe(survivor);

    await eventually(() => expect(connects).toHaveLength(2), 15_000);
    console.log(`[parley] nginx failover: the client was back ${connects[1] - killedAt} ms after kill -9 of ${victim}`);
    const synced = await callOk(reader, 'sync', { cursors: { [general.id]: before } });
    expect(synced.messages.map((m) => m.seq)).toEqual(missed);

    const after = await send('after the crash');
    await eventually(() => expect(live.map((m) => m.seq)).toContain(after));
  });

  it('an api that is gone from DNS does not break nginx, and one recreated at a new address is found again', async () => {
    // The previous test killed one instance; as Docker does with a removed container, its name goes too.
    const gone = apis.api1.exited ? 'api1' : 'api2';
    const other = gone === 'api1' ? 'api2' : 'api1';
    const clientOfGone = await addressServedBy(gone);
    dns.records.delete(gone);
    for (const address of [clientOfGone, '127.0.0.1', '127.0.0.30']) {
      const reply = await http(address, `${lb}/health`);
      expect(reply.status).toBe(200);
      expect(instance(reply)).toBe(other);
    }

    // Recreated at another address (same name and port); nginx asks the resolver again within its valid=10s.
    apis[gone] = await SpawnedApi.start(apiPorts[gone], { ...apiEnv, INSTANCE_ID: gone, HOST: '127.0.0.3' });
    dns.records.set(gone, '127.0.0.3');
    const recreatedAt = Date.now();
    await eventually(async () => expect(instance(await http(clientOfGone, `${lb}/health`))).toBe(gone), 30_000);
    console.log(`[parley] nginx reached ${gone} at its new address ${Date.now() - recreatedAt} ms after it came back`);
  }, 90_000);
});
