import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedDatabaseHolder } from './embedded-holder';
import { EmbeddedMaintenance } from './embedded-maintenance';
import { EmbeddedPostgres } from './embedded-postgres';


/** An arbitrary constant: the advisory lock that lets one instance at a time migrate. */
const MIGRATION_LOCK_KEY = 74_157_220;

/**
 * Runs the pending migrations. Several instances may start at once against one database,
 * so they take turns through an advisory lock; that lock needs a connection of its own,
 * which a pool of one (the embedded database, always a single instance) does not have.
 */
async function runMigrations(dataSource: DataSource, poolSize: number): Promise<void> {
  const logger = new Logger('Migrations');
  if (poolSize < 2) {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    if (ran.length) logger.log(`Applied ${ran.map((m) => m.name).join(', ')}`);
    return;
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    if (ran.length) logger.log(`Applied ${ran.map((m) => m.name).join(', ')}`);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

@Module({
  providers: [EmbeddedDatabaseHolder],
  exports: [EmbeddedDatabaseHolder],
})
class EmbeddedDatabaseModule {}

@Module({
  imports: [
    EmbeddedDatabaseModule,
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedDatabaseModule],
      inject: [APP_CONFIG, EmbeddedDatabaseHolder],
      useFactory: async (config: AppConfig, holder: EmbeddedDatabaseHolder) => {
        let url = config.databaseUrl;
        if (url === null) {
          holder.embedded = await EmbeddedPostgres.start(config.dataDir);
          url = holder.embedded.url;
        }
        return dataSourceOptions({ url, poolSize: holder.embedded ? 1 : 10, embedded: holder.embedded !== null });
      },
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await runMigrations(dataSource, (options as { extra: { max: number } }).extra.max);
        return dataSource;
      },
    }),
  ],
  providers: [EmbeddedMaintenance],
})
export class DatabaseModule {}
