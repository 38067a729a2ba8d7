import { randomUUID } from 'node:crypto';
import { ClientSocket, connectSocket } from './sockets';
import { SmtpSink } from './smtp-sink';
import { startTestApp, TestApp } from './test-app';

/**
 * The sockets a test opens, closed after each test (call once inside a describe): `open(p)`
 * connects as p to `url()`, `keep(socket)` has one connected some other way closed too.
 */
export function socketsPerTest(url: () => string) {
  const sockets: ClientSocket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });
  const keep = (socket: ClientSocket) => (sockets.push(socket), socket);
  const open = async (p: { auth: { accessToken: string } }) => keep(await connectSocket(url(), p.auth.accessToken));
  return { open, keep };
}

/** Both services the two-instance tests need, from the environment. */
export const redisUrl = process.env.REDIS_URL;
export const describeOnTwoInstances = redisUrl && (process.env.TEST_DATABASE_URL || process.env.DATABASE_URL) ? describe : describe.skip;

/**
 * Two instances of the app on one PostgreSQL database and one Redis (their own key prefix), and
 * the SMTP sink both mail to: started before the describe's tests, closed after them. The fields
 * are set once its beforeAll has run.
 */
export function twoInstancesPerSuite(env: (sink: SmtpSink) => Record<string, string>): { one: TestApp; two: TestApp; sink: SmtpSink } {
  const suite = {} as { one: TestApp; two: TestApp; sink: SmtpSink };
  beforeAll(async () => {
    suite.sink = await SmtpSink.start();
    const shared = { ...env(suite.sink), REDIS_URL: redisUrl!, REDIS_PREFIX: `parley-test-${randomUUID().slice(0, 8)}` };
    suite.one = await startTestApp({ mode: 'postgres', env: shared });
    suite.two = await startTestApp({ mode: 'postgres', env: shared, databaseUrl: suite.one.config.databaseUrl!, dataDir: suite.one.config.dataDir });
  });
  afterAll(async () => {
    await suite.two?.close();
    await suite.one?.close();
    await suite.sink?.stop();
  });
  return suite;
}
