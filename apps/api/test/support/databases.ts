import * as shared from '../../../../test-support/databases.cjs';

/** The PostgreSQL server the integration tests use: TEST_DATABASE_URL, else DATABASE_URL, else none. */
export function serverUrl(): string | null {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || null;
}

/** Creates an empty database on the test server and returns its URL. */
export async function createDatabase(prefix = 'parley_test'): Promise<string> {
  const base = serverUrl();
  if (!base) throw new Error('No PostgreSQL server configured (DATABASE_URL)');
  return shared.createDatabase(base, shared.databaseName(prefix));
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const base = serverUrl();
  if (!base) return;
  await shared.dropDatabase(base, databaseUrl);
}
