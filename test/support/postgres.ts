import { expect } from '@jest/globals';
import pg from 'pg';
import { createDatabasePair as createPair, type DatabasePair } from '../../scripts/support/pgDatabases.js';
import path, { relative, sep } from 'node:path';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { REPO_ROOT } from './repoRoot.js';
import { isSerialSuite } from './serialSuites.mjs';

export type { DatabasePair };

/**
 * Throw-away PostgreSQL databases for tests, on a real server (no mock of pg): on TEST_DATABASE_URL's server when
 * it is set, else on this machine's Debian cluster, started when needed. Where PostgreSQL is not installed this
 * fails, naming the command that installs it. It never skips.
 */
export async function createDatabasePair(options: { migrate?: boolean } = {}): Promise<DatabasePair> {
  // Suites on the shared cluster run one at a time, after the others: one not listed would run beside them.
  const suite = relative(REPO_ROOT, expect.getState().testPath ?? '')
    .split(sep)
    .join('/');
  if (!isSerialSuite(suite)) throw new Error(`${suite} uses PostgreSQL: list it in test/support/serialSuites.mjs`);
  return createPair({ prefix: 'wijzer_test_', envVariables: ['TEST_DATABASE_URL'], migrate: options.migrate });
}

/**
 * A pool for a test's own queries beside the stores. `pool.end()` resolves while its connections are still closing,
 * so the pair's drop (`WITH (FORCE)`) may terminate one of them: the error that brings is expected, and a pool
 * without a listener would throw it as an uncaught error into whichever test runs then.
 */
export function adminPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  return pool;
}

/**
 * Every row of every table of a database as text, as a dump would hold it; a bytea value (an interview's export
 * cells) also as the UTF-8 text its bytes hold, so that a scan of the dump sees what they say.
 */
function bytesAsText(row: string): string {
  return [...row.matchAll(/\\\\x([0-9a-f]+)/g)].map((m) => ` ${Buffer.from(m[1]!, 'hex').toString('utf8')}`).join('');
}

export async function dumpDatabase(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name FROM information_schema.tables
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const parts: string[] = [];
    for (const { name } of tables) {
      const { rows } = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`);
      parts.push(`-- ${name}`, ...rows.map((r) => r.row + bytesAsText(r.row)));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

/** The rows of one query, on a connection of its own (the server may have restarted since the last one). */
export async function rowsOf<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** The stored interview of a participant in the default round, found through their key entry; null if none. */
export function storedInterview(pair: DatabasePair, secretHex: string) {
  return async (identity: { userId: string; tenantId: string }): Promise<unknown> => {
    const pseudonym = pseudonymOf(Buffer.from(secretHex, 'hex'), identity.tenantId, identity.userId);
    const keySql = `SELECT entry FROM key_entries WHERE pseudonym = $1 AND round_id = 'default'`;
    const [key] = await rowsOf<{ entry: { code?: string } }>(pair.keyDatabaseUrl, keySql, [pseudonym]);
    if (!key?.entry.code) return null;
    const interviewSql = `SELECT data FROM interviews WHERE round_id = 'default' AND code = $1`;
    const [row] = await rowsOf<{ data: unknown }>(pair.databaseUrl, interviewSql, [key.entry.code]);
    return row?.data ?? null;
  };
}

/**
 * A built bot's settings on this pair of databases: the databases, the pseudonym secret, the content, and data and
 * key folders under root (which this mode leaves empty).
 */
export function postgresBotEnv(pair: DatabasePair, secretHex: string, root: string): Record<string, string> {
  return {
    DATABASE_URL: pair.databaseUrl,
    KEY_DATABASE_URL: pair.keyDatabaseUrl,
    PSEUDONYM_SECRET: secretHex,
    CONTENT_DIR: REPO_ROOT,
    DATA_DIR: path.join(root, 'data'),
    KEY_DIR: path.join(root, 'keys'),
  };
}
