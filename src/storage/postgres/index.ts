import type { Pool } from 'pg';
import { z } from 'zod';
import type { Stores } from '../../ports/stores.js';
import { PgAnswerStore } from './answerStore.js';
import { PgKeyStore } from './keyStore.js';
import { DEFAULT_CLAIM_LEASE_MS, PgOutboxStore } from './outboxStore.js';
import { assertSeparateDatabases, connectionError, createPool, POOL_DEFAULTS, type PoolOptions } from './pools.js';
import { assertSchemaCurrent } from './schema.js';
import type { RateGate } from '../../research/outbox/rateLimiter.js';
import { PgRateGate } from './rateGate.js';

export { PgAnswerStore } from './answerStore.js';
export { PgRateGate } from './rateGate.js';
export { PgKeyStore } from './keyStore.js';
export { PgOutboxStore } from './outboxStore.js';
export { assertSeparateDatabases, createPool, isTransientDatabaseError, withTransaction, type PoolOptions, type Which } from './pools.js';
export { assertSchemaCurrent, expectedMigrations, migrateDatabase, MIGRATE_COMMAND, schemaStatus, type SchemaStatus } from './schema.js';

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

export interface PostgresStores extends Stores {
  answers: PgAnswerStore;
  keys: PgKeyStore;
  outbox: PgOutboxStore;
  readonly answersPool: Pool;
  readonly keysPool: Pool;
  /** For GET /readyz: both databases answer and their schema is the one this version expects; throws otherwise. */
  ready(): Promise<void>;
  /** The send rate shared by all instances (Teams counts per bot). */
  rateGate(name: string, ratePerSec: number, burst: number): RateGate;
}

/**
 * Opens the two PostgreSQL stores: connects to both databases, refuses when they are one database, and (unless
 * checkSchema is false) when either schema is not the one this version of Wijzer expects, naming the command to run.
 */
export async function openPostgresStores(options: PostgresOptions): Promise<PostgresStores> {
  if (!options.databaseUrl || !options.keyDatabaseUrl) {
    throw new Error('PostgreSQL needs both DATABASE_URL (answers) and KEY_DATABASE_URL (keys): set both, or neither for the embedded store.');
  }
  if (options.databaseUrl === options.keyDatabaseUrl) {
    throw new Error('DATABASE_URL and KEY_DATABASE_URL are the same: the answers and the keys must live in two different databases (see the README, "Scaling out").');
  }
  const answersPool = createPool(options.databaseUrl, 'answers', options);
  const keysPool = createPool(options.keyDatabaseUrl, 'keys', options);
  try {
    await answersPool.query('SELECT 1').catch((err) => { throw connectionError('answers', err); });
    await keysPool.query('SELECT 1').catch((err) => { throw connectionError('keys', err); });
    await assertSeparateDatabases(answersPool, keysPool);
    if (options.checkSchema !== false) {
      await assertSchemaCurrent(answersPool, 'answers');
      await assertSchemaCurrent(keysPool, 'keys');
    }
  } catch (err) {
    await Promise.allSettled([answersPool.end(), keysPool.end()]);
    throw err;
  }
  const outbox = new PgOutboxStore(keysPool, { claimLeaseMs: options.claimLeaseMs });
  let closed: Promise<void> | null = null;
  return {
    answers: new PgAnswerStore(answersPool),
    keys: new PgKeyStore(keysPool),
    outbox,
    answersPool,
    keysPool,
    rateGate: (name, ratePerSec, burst) => new PgRateGate(keysPool, name, ratePerSec, burst),
    async ready() {
      await Promise.all([answersPool.query('SELECT 1').catch((err) => { throw connectionError('answers', err); }), keysPool.query('SELECT 1').catch((err) => { throw connectionError('keys', err); })]);
      await Promise.all([assertSchemaCurrent(answersPool, 'answers'), assertSchemaCurrent(keysPool, 'keys')]);
    },
    close() {
      closed ??= (async () => {
        await outbox.close();
        await Promise.all([answersPool.end(), keysPool.end()]);
      })();
      return closed;
    },
  };
}

const int = (min: number) => z.coerce.number().int().min(min);

/**
 * The environment variables of the PostgreSQL mode, with their defaults. Merge into the config's schema, or call
 * readPostgresOptions. Both URLs or neither: one alone is refused.
 */
export const PostgresEnv = z.object({
  DATABASE_URL: z.string().optional(),
  KEY_DATABASE_URL: z.string().optional(),
  /** Connections per database and instance. */
  PG_POOL_MAX: int(1).max(1000).default(POOL_DEFAULTS.poolMax),
  PG_CONNECT_TIMEOUT_MS: int(100).default(POOL_DEFAULTS.connectionTimeoutMs),
  PG_IDLE_TIMEOUT_MS: int(0).default(POOL_DEFAULTS.idleTimeoutMs),
  PG_STATEMENT_TIMEOUT_MS: int(100).default(POOL_DEFAULTS.statementTimeoutMs),
  OUTBOX_CLAIM_LEASE_SEC: int(1).default(DEFAULT_CLAIM_LEASE_MS / 1000),
});
export type PostgresEnv = z.output<typeof PostgresEnv>;

/** null: the embedded store (neither URL set). Throws when only one URL is set or a value is malformed. */
export function readPostgresOptions(source: Readonly<Record<string, unknown>>): PostgresOptions | null {
  const parsed = PostgresEnv.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    throw new Error(`Invalid environment:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
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

/**
 * One call for the shared chooser, given process.env or the parsed config (the same names): the PostgreSQL stores
 * when DATABASE_URL and KEY_DATABASE_URL are set (two databases, current schema), null when neither is (use the
 * embedded store), an error otherwise.
 */
export async function openPostgresFromEnv(env: Readonly<Record<string, unknown>>, overrides: Partial<PostgresOptions> = {}): Promise<PostgresStores | null> {
  const options = readPostgresOptions(env);
  return options ? openPostgresStores({ ...options, ...overrides }) : null;
}
