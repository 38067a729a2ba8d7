import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Extension, PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// The package's type map points CommonJS importers at its ESM typings; the CommonJS build is there.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pgcrypto } = require('@electric-sql/pglite/contrib/pgcrypto') as { pgcrypto: Extension };

/**
 * The embedded PostgreSQL of the zero-configuration mode: PGlite (Postgres compiled to
 * WebAssembly) keeping its files in `<dataDir>/pg`, reached by the ordinary `pg` driver
 * through a socket server on 127.0.0.1. PGlite runs one query at a time, so the pool
 * that talks to it has one connection.
 */
export class EmbeddedPostgres {
  private static readonly logger = new Logger('EmbeddedPostgres');

  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    const dir = join(dataDir, 'pg');
    mkdirSync(dir, { recursive: true });
    const db = await PGlite.create({ dataDir: dir, extensions: { pgcrypto } });
    await db.exec('CREATE EXTENSION IF NOT EXISTS pgcrypto');
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
    await server.start();
    const url = `postgres://postgres@${server.getServerConn()}/postgres`;
    EmbeddedPostgres.logger.log(`Embedded PostgreSQL (PGlite) with data in ${dir}`);
    return new EmbeddedPostgres(db, server, url);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
