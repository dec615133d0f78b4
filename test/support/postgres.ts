import pg from 'pg';
import { createDatabasePair as createPair, type DatabasePair } from '../../scripts/support/pgDatabases.js';

export type { DatabasePair };

/**
 * Throw-away PostgreSQL databases for tests, on a real server (no mock of pg): on TEST_DATABASE_URL's server when
 * it is set, else on this machine's Debian cluster, started when needed. Where PostgreSQL is not installed this
 * fails, naming the command that installs it. It never skips.
 */
export function createDatabasePair(options: { migrate?: boolean } = {}): Promise<DatabasePair> {
  return createPair({ prefix: 'wijzer_test_', envVariables: ['TEST_DATABASE_URL'], migrate: options.migrate });
}

/** Every row of every table of a database as text, as a dump would hold it. */
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
      parts.push(`-- ${name}`, ...rows.map((r) => r.row));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}
