// Throw-away PostgreSQL databases for tests and the bench: created on a server (a URL whose role
// may CREATE DATABASE) and dropped with everything still connected to them. Used by the api's
// integration tests (apps/api/test/support/databases.ts), the browser tests (e2e/support/env.mjs)
// and the bench (bench/lib/db.mjs). CommonJS for the reasons in smtp-sink.cjs; types in databases.d.cts.
'use strict';
const { randomBytes } = require('node:crypto');
const { Client } = require('pg');

/** Only names we make: a typo or a stray argument can never drop someone else's database. */
const OURS = /^parley_[a-z0-9_]+$/;

function checkName(name) {
  if (!OURS.test(name)) throw new Error(`refusing to touch database ${JSON.stringify(name)}: not parley_<lowercase, digits, _>`);
  return name;
}

/** A fresh name: `<prefix>_<time>_<random>`. */
function databaseName(prefix) {
  return checkName(`${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`);
}

/** The URL of database `name` on the server of `serverUrl` (same host, role and options). */
function databaseUrl(serverUrl, name) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one statement on the server's own database. */
async function serverQuery(serverUrl, sql, params) {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** Creates the empty database `name` and returns its URL. */
async function createDatabase(serverUrl, name) {
  await serverQuery(serverUrl, `CREATE DATABASE "${checkName(name)}"`);
  return databaseUrl(serverUrl, name);
}

/** Drops a database (by name or URL), ending its connections first. */
async function dropDatabase(serverUrl, nameOrUrl) {
  const name = nameOrUrl.includes('://') ? decodeURIComponent(new URL(nameOrUrl).pathname.slice(1)) : nameOrUrl;
  await serverQuery(serverUrl, `DROP DATABASE IF EXISTS "${checkName(name)}" WITH (FORCE)`);
}

module.exports = { createDatabase, databaseName, databaseUrl, dropDatabase, serverQuery };
