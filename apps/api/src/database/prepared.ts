import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Runs a statement by name on TypeORM's own pool, so each connection parses and plans it once
 * and then only binds and executes it. For the hot statements (a batch of sends, a history
 * page), where planning costs PostgreSQL as much as running them.
 */
export async function preparedQuery<T>(dataSource: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const result = await pool.query<T & object>({ name, text, values });
  return result.rows;
}
