import type { ClientBase } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface DataSourceSettings {
  url: string;
  /** PGlite runs one query at a time: the embedded database gets a pool of 1. */
  poolSize: number;
  /** The embedded database (PGlite behind its socket server), not a PostgreSQL server. */
  embedded?: boolean;
}

/**
 * How long a pooled connection may sit unused before the pool closes it (0: never). A
 * PostgreSQL server holds a backend process per connection, so idle ones go after 10 s; the
 * embedded database has one connection to an in-process PGlite that costs nothing to keep,
 * so it stays open (see `resetEmbeddedSession` for when it is replaced all the same).
 */
export const POOL_IDLE_TIMEOUT_MS = { postgres: 10_000, embedded: 0 } as const;

/**
 * PGlite is one database session, however many socket connections reach it: a connection that
 * closes leaves behind what it set up — above all its prepared statements, which the next
 * connection (a fresh node-pg client that believes it has prepared nothing) then fails to
 * prepare again ("prepared statement … already exists"), so every call answered 500 once the
 * first connection had been replaced. A PostgreSQL server ends the session with its
 * connection; on the embedded database each new connection ends the previous one's before the
 * pool hands it out (DISCARD ALL: prepared statements, settings, advisory locks, temp tables).
 */
export async function resetEmbeddedSession(client: ClientBase): Promise<void> {
  await client.query('DISCARD ALL');
}

export function dataSourceOptions({ url, poolSize, embedded = false }: DataSourceSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    extra: {
      max: poolSize,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS[embedded ? 'embedded' : 'postgres'],
      // node-pg's pool awaits this before it hands a new connection out.
      ...(embedded ? { onConnect: resetEmbeddedSession } : {}),
    },
  };
}
