/**
 * The TypeORM DataSource of the migration CLI (`npm run migration:generate`,
 * `npm run migration:run`). It talks to the PostgreSQL in DATABASE_URL.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './apps/api/src/database/data-source-options';

const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL must name the PostgreSQL database the migration CLI works on');
}

export default new DataSource(dataSourceOptions({ url, poolSize: 2 }));
