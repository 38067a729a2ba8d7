import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { createApp } from '@api/bootstrap';
import { AppConfig, loadConfig } from '@api/config/config';
import { createDatabase, dropDatabase, serverUrl } from './databases';

export type DatabaseMode = 'postgres' | 'embedded';

/**
 * The database a run of the integration tests uses: PostgreSQL when DATABASE_URL (or
 * TEST_DATABASE_URL) names a server, else the embedded one. CI runs the suite once each way
 * (`npm test`, then `npm run test:api:embedded`), so every test meets both databases.
 */
export function databaseModes(): DatabaseMode[] {
  return serverUrl() ? ['postgres'] : ['embedded'];
}

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  /** http://127.0.0.1:<port> */
  url: string;
  dataSource: DataSource;
  close(): Promise<void>;
}

export interface TestAppOptions {
  mode: DatabaseMode;
  /** Environment variables on top of the test defaults. */
  env?: Record<string, string>;
  /** Reuse a database made earlier (for restart tests); otherwise a fresh one is made. */
  databaseUrl?: string;
  dataDir?: string;
}

/** Boots the real app on a free port, on a fresh database, exactly as main.ts would. */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'parley-test-'));
  const ownsDataDir = options.dataDir === undefined;
  const databaseUrl =
    options.mode === 'postgres' ? (options.databaseUrl ?? (await createDatabase())) : undefined;
  const ownsDatabase = options.mode === 'postgres' && options.databaseUrl === undefined;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    WEB_DIR: join(dataDir, 'no-web'),
    LOG_LEVEL: 'warn',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    // Every test signs people in from 127.0.0.1; the per-address flood limit has its own test.
    RATE_LIMIT_AUTH_BURST: '100000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...options.env,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return {
    app,
    config,
    url: `http://127.0.0.1:${port}`,
    dataSource: app.get(DataSource),
    async close() {
      await app.close();
      if (ownsDatabase && databaseUrl) await dropDatabase(databaseUrl);
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
