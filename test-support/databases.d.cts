import type { QueryResult } from 'pg';

/** A fresh name: `<prefix>_<time>_<random>` (prefix `parley_…`). */
export declare function databaseName(prefix: string): string;
/** The URL of database `name` on the server of `serverUrl` (same host, role and options). */
export declare function databaseUrl(serverUrl: string, name: string): string;
/** Runs one statement on the server's own database. */
export declare function serverQuery(serverUrl: string, sql: string, params?: unknown[]): Promise<QueryResult>;
/** Creates the empty database `name` (parley_…) and returns its URL. */
export declare function createDatabase(serverUrl: string, name: string): Promise<string>;
/** Drops a database (by name or URL), ending its connections first. */
export declare function dropDatabase(serverUrl: string, nameOrUrl: string): Promise<void>;
