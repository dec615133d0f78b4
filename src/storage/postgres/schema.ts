import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Pool } from 'pg';
import { URL_VARIABLE, type Which } from './pools.js';
import { defined } from '../../defined.js';

/** node-pg-migrate's bookkeeping table, one in each of the two databases. */
export const MIGRATIONS_TABLE = 'wijzer_migrations';

export const MIGRATE_COMMAND = 'npm run migrate';

/** migrations/answers and migrations/keys at the project root, found from this file (src/ under ts, dist/src/ built). */
export function migrationsDir(which: Which): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'migrations', which);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(
        `cannot find the folder migrations/${which}: it ships next to src/ and must be deployed with the bot`,
      );
    dir = parent;
  }
}

/** Migration names (file names without .sql) in the order node-pg-migrate runs them: by their timestamp prefix. */
const expectedCache = new Map<Which, string[]>();

export function expectedMigrations(which: Which): string[] {
  const cached = expectedCache.get(which);
  if (cached) return cached;
  const names = readdirSync(migrationsDir(which))
    .filter((name) => name.endsWith('.sql'))
    .map((name) => name.slice(0, -4))
    .sort((a, b) => Number(a.split('_')[0]) - Number(b.split('_')[0]) || a.localeCompare(b));
  expectedCache.set(which, names);
  return names;
}

export interface SchemaStatus {
  which: Which;
  /** The last migration applied to the database, null for an empty database. */
  current: string | null;
  /** The last migration this version of Wijzer ships. */
  expected: string;
  /** Migrations this version ships that the database lacks: the schema is older. */
  pending: string[];
  /** Migrations the database has that this version does not ship: the schema is newer (or from another branch). */
  unknown: string[];
  ok: boolean;
  /** What to do, when not ok. */
  message?: string;
}

/** Compares the migrations applied to a database with those in migrations/<which>. */
export async function schemaStatus(pool: Pick<Pool, 'query'>, which: Which): Promise<SchemaStatus> {
  const expected = expectedMigrations(which);
  let applied: string[] = [];
  const exists = await pool.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [`public.${MIGRATIONS_TABLE}`]);
  if (defined(exists.rows[0], 'row of a SELECT without FROM').t) {
    applied = (
      await pool.query<{ name: string }>(`SELECT name FROM public.${MIGRATIONS_TABLE} ORDER BY run_on, id`)
    ).rows.map((r) => r.name);
  }
  const pending = expected.filter((m) => !applied.includes(m));
  const unknown = applied.filter((m) => !expected.includes(m));
  const status: SchemaStatus = {
    which,
    current: applied.at(-1) ?? null,
    expected: expected.at(-1) ?? '',
    pending,
    unknown,
    ok: pending.length === 0 && unknown.length === 0,
  };
  const where = `the ${which} database (${URL_VARIABLE[which]})`;
  if (unknown.length) {
    status.message =
      `${where} has a newer schema than this version of Wijzer knows (${unknown.join(', ')}): ` +
      'run the Wijzer version that migrated it, or restore a backup from before that migration; do not run this version against it.';
  } else if (pending.length) {
    status.message = `${where} ${applied.length ? `has an older schema (${status.current})` : 'has no schema yet'}: run \`${MIGRATE_COMMAND}\` (migrations to apply: ${pending.join(', ')}).`;
  }
  return status;
}

/** Throws the status message when the schema is not exactly the one this version expects. */
export async function assertSchemaCurrent(pool: Pick<Pool, 'query'>, which: Which): Promise<void> {
  const status = await schemaStatus(pool, which);
  if (!status.ok) throw new Error(status.message);
}

/** Applies the pending migrations of one database (node-pg-migrate takes an advisory lock: one migrator at a time). */
export async function migrateDatabase(
  databaseUrl: string,
  which: Which,
  log: (line: string) => void = () => {},
): Promise<string[]> {
  const ran = await runner({
    databaseUrl,
    dir: migrationsDir(which),
    migrationsTable: MIGRATIONS_TABLE,
    direction: 'up',
    checkOrder: true,
    singleTransaction: true,
    logger: { info: log, warn: log, error: log, debug: () => {} },
  });
  return ran.map((m) => m.name);
}
