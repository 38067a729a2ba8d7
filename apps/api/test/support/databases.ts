import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server the integration tests use: TEST_DATABASE_URL, else DATABASE_URL, else none. */
export function serverUrl(): string | null {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || null;
}

/** Creates an empty database on the test server and returns its URL. */
export async function createDatabase(prefix = 'parley_test'): Promise<string> {
  const base = serverUrl();
  if (!base) throw new Error('No PostgreSQL server configured (DATABASE_URL)');
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const base = serverUrl();
  if (!base) return;
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
