import type { Pool } from 'pg';
import type { Stores } from '../../ports/stores.js';
import { PgAnswerStore } from './answerStore.js';
import { PgKeyStore } from './keyStore.js';
import { PgOutboxStore } from './outboxStore.js';
import { assertSeparateDatabases, connectionError, createPool } from './pools.js';
import { readPostgresOptions, type PostgresOptions } from './options.js';
import { assertSchemaCurrent } from './schema.js';
import type { RateGate } from '../../research/outbox/pacedGate.js';
import { PgRateGate } from './rateGate.js';

export { PgAnswerStore } from './answerStore.js';
export { PgRateGate } from './rateGate.js';
export { PgKeyStore } from './keyStore.js';
export { PgOutboxStore } from './outboxStore.js';
export { postgresOptionsFrom, readPostgresOptions, type PostgresOptions } from './options.js';
export {
  assertSeparateDatabases,
  createPool,
  isTransientDatabaseError,
  withTransaction,
  type PoolOptions,
  type Which,
} from './pools.js';
export {
  assertSchemaCurrent,
  expectedMigrations,
  migrateDatabase,
  MIGRATE_COMMAND,
  schemaStatus,
  type SchemaStatus,
} from './schema.js';

export interface PostgresStores extends Stores {
  answers: PgAnswerStore;
  keys: PgKeyStore;
  outbox: PgOutboxStore;
  readonly answersPool: Pool;
  readonly keysPool: Pool;
  /** For GET /readyz: both databases answer and their schema is the one this version expects; throws otherwise. */
  ready(): Promise<void>;
  /** The send rate shared by all instances (Teams counts per bot). */
  rateGate(name: string, spacingMs: number): RateGate;
}

/**
 * Opens the two PostgreSQL stores: connects to both databases, refuses when they are one database, and (unless
 * checkSchema is false) when either schema is not the one this version of Wijzer expects, naming the command to run.
 */
export async function openPostgresStores(options: PostgresOptions): Promise<PostgresStores> {
  if (!options.databaseUrl || !options.keyDatabaseUrl) {
    throw new Error(
      'PostgreSQL needs both DATABASE_URL (answers) and KEY_DATABASE_URL (keys): set both, or neither for the embedded store.',
    );
  }
  if (options.databaseUrl === options.keyDatabaseUrl) {
    throw new Error(
      'DATABASE_URL and KEY_DATABASE_URL are the same: the answers and the keys must live in two different databases (see the README, "Scaling out").',
    );
  }
  const answersPool = createPool(options.databaseUrl, 'answers', options);
  const keysPool = createPool(options.keyDatabaseUrl, 'keys', options);
  try {
    await answersPool.query('SELECT 1').catch((err) => {
      throw connectionError('answers', err);
    });
    await keysPool.query('SELECT 1').catch((err) => {
      throw connectionError('keys', err);
    });
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
    rateGate: (name, spacingMs) => new PgRateGate(keysPool, name, spacingMs),
    async ready() {
      await Promise.all([
        answersPool.query('SELECT 1').catch((err) => {
          throw connectionError('answers', err);
        }),
        keysPool.query('SELECT 1').catch((err) => {
          throw connectionError('keys', err);
        }),
      ]);
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

/**
 * One call for the shared chooser, given process.env or the parsed config (the same names): the PostgreSQL stores
 * when DATABASE_URL and KEY_DATABASE_URL are set (two databases, current schema), null when neither is (use the
 * embedded store), an error otherwise.
 */
export async function openPostgresFromEnv(
  env: Readonly<Record<string, unknown>>,
  overrides: Partial<PostgresOptions> = {},
): Promise<PostgresStores | null> {
  const options = readPostgresOptions(env);
  return options ? openPostgresStores({ ...options, ...overrides }) : null;
}
