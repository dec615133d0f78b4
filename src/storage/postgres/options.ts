import { PostgresEnv } from '../../config/postgres.js';
import type { PoolOptions } from './pools.js';

/* Which PostgreSQL databases to open, read from the config; importing this loads no driver. */

export interface PostgresOptions extends PoolOptions {
  /** The answers database (DATABASE_URL). */
  databaseUrl: string;
  /** The key database (KEY_DATABASE_URL); must be another database. */
  keyDatabaseUrl: string;
  /** OUTBOX_CLAIM_LEASE_SEC, in ms: see PgOutboxStore. */
  claimLeaseMs?: number;
  /** Refuse to open against an older or newer schema (default true). */
  checkSchema?: boolean;
}

/** null: the embedded store (neither URL set). Throws when only one URL is set or a value is malformed. */
export function readPostgresOptions(source: Readonly<Record<string, unknown>>): PostgresOptions | null {
  const parsed = PostgresEnv.safeParse(
    Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    throw new Error(
      `Invalid environment:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return postgresOptionsFrom(parsed.data);
}

/** From an already parsed config (the same names as the environment). */
export function postgresOptionsFrom(env: PostgresEnv): PostgresOptions | null {
  const { DATABASE_URL: databaseUrl, KEY_DATABASE_URL: keyDatabaseUrl } = env;
  if (!databaseUrl && !keyDatabaseUrl) return null;
  if (!databaseUrl || !keyDatabaseUrl) {
    throw new Error(
      `${databaseUrl ? 'DATABASE_URL is set but KEY_DATABASE_URL is not' : 'KEY_DATABASE_URL is set but DATABASE_URL is not'}: ` +
        'PostgreSQL needs both (answers and keys in two different databases), the embedded store neither.',
    );
  }
  return {
    databaseUrl,
    keyDatabaseUrl,
    poolMax: env.PG_POOL_MAX,
    connectionTimeoutMs: env.PG_CONNECT_TIMEOUT_MS,
    idleTimeoutMs: env.PG_IDLE_TIMEOUT_MS,
    statementTimeoutMs: env.PG_STATEMENT_TIMEOUT_MS,
    claimLeaseMs: env.OUTBOX_CLAIM_LEASE_SEC * 1000,
  };
}
