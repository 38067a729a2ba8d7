import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EmbeddedDatabaseHolder } from './embedded-holder';

/** How often the embedded database is vacuumed and analysed. */
export const EMBEDDED_MAINTENANCE_INTERVAL_MS = 10 * 60_000;
/** A round slower than this is logged: it held the only connection that long. */
const SLOW_ROUND_MS = 1000;

/**
 * The embedded database's autovacuum. PGlite is PostgreSQL in one process, without the background
 * workers that vacuum and analyse a server's tables: its statistics stay those of the day the
 * tables were small. The planner then keeps the plans it made for small tables. Tried alone on
 * PGlite at 200,000 rows, the generic plan of a send batch's clientMsgId check (a NOT EXISTS on
 * the unique index) scanned every row: 28 ms an execution, against 0.8 ms after VACUUM (ANALYZE).
 * Dead row versions are never cleaned either.
 *
 * Every 10 minutes this does what autovacuum would: VACUUM (ANALYZE), about 150 ms at that size
 * (the only connection waits meanwhile). ANALYZE invalidates the prepared statements' plans, so
 * each is planned again at its next use. A PostgreSQL server does this itself, so this runs on the
 * embedded database only.
 */
@Injectable()
export class EmbeddedMaintenance {
  private readonly logger = new Logger('EmbeddedPostgres');
  private running = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly holder: EmbeddedDatabaseHolder,
  ) {}

  /** One round; false when there is nothing to do here (a PostgreSQL server) or a round is running. */
  @Interval('embedded-maintenance', EMBEDDED_MAINTENANCE_INTERVAL_MS)
  async run(): Promise<boolean> {
    if (!this.holder.embedded || this.running) return false;
    this.running = true;
    const started = performance.now();
    try {
      await this.dataSource.query('VACUUM (ANALYZE)');
      const took = performance.now() - started;
      if (took > SLOW_ROUND_MS) this.logger.warn(`VACUUM (ANALYZE) of the embedded database took ${Math.round(took)} ms`);
      return true;
    } catch (error) {
      this.logger.warn(`Could not vacuum the embedded database: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    } finally {
      this.running = false;
    }
  }
}
