import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Pool, PoolClient } from 'pg';
import { POOL_DEFAULTS } from '../../config/postgres.js';
import { log } from '../../log.js';
import { defined } from '../../defined.js';

/** Pool sizes and timeouts; every one of them has an environment variable (see readPostgresOptions). */
export interface PoolOptions {
  /** Connections per database and instance (PG_POOL_MAX). */
  poolMax?: number;
  /** How long to wait for a connection before a query fails (PG_CONNECT_TIMEOUT_MS). */
  connectionTimeoutMs?: number;
  /** How long an unused connection stays open (PG_IDLE_TIMEOUT_MS). */
  idleTimeoutMs?: number;
  /** The server cancels a statement that runs longer (PG_STATEMENT_TIMEOUT_MS); also bounds waiting for a row lock. */
  statementTimeoutMs?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
}

export type Which = 'answers' | 'keys';

export const URL_VARIABLE: Record<Which, string> = { answers: 'DATABASE_URL', keys: 'KEY_DATABASE_URL' };

export function createPool(connectionString: string, which: Which, options: PoolOptions = {}): Pool {
  const statementTimeout = options.statementTimeoutMs ?? POOL_DEFAULTS.statementTimeoutMs;
  const pool = new pg.Pool({
    connectionString,
    max: options.poolMax ?? POOL_DEFAULTS.poolMax,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? POOL_DEFAULTS.connectionTimeoutMs,
    idleTimeoutMillis: options.idleTimeoutMs ?? POOL_DEFAULTS.idleTimeoutMs,
    statement_timeout: statementTimeout,
    // A transaction left open (an instance frozen mid-turn) must not hold a participant's row lock for long.
    idle_in_transaction_session_timeout: Math.max(statementTimeout, 1000) * 3,
    application_name: options.applicationName ?? `wijzer-${which}`,
  });
  // An idle connection that breaks (the server restarts) is an event, not a crash: the pool makes a new one.
  pool.on('error', (err) => log.error(`pg.${which}.idle`, err));
  return pool;
}

/**
 * Runs fn in one transaction on one connection: committed when it returns, rolled back when it throws, so a
 * turn that fails half-way (the database went away) leaves nothing half written.
 */
export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A checked-out client has no listener of the pool's: a broken connection must not crash the process.
  let broken: Error | undefined;
  const onError = (err: Error) => {
    broken = err;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackErr) {
      broken ??= rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
    }
    throw err;
  } finally {
    client.removeListener('error', onError);
    // A connection that failed is closed rather than handed to the next turn.
    client.release(broken);
  }
}

interface DatabaseIdentity {
  db: string;
  addr: string | null;
  port: number | null;
}

async function identity(client: Pick<Pool, 'query'>): Promise<DatabaseIdentity> {
  const { rows } = await client.query<DatabaseIdentity>(
    `SELECT current_database() AS db, host(inet_server_addr()) AS addr, coalesce(inet_server_port(), current_setting('port')::int) AS port`,
  );
  return defined(rows[0], 'row of a SELECT without FROM');
}

function describe(id: DatabaseIdentity): string {
  return `database "${id.db}" on ${id.addr ?? 'a local socket'}${id.port ? ` port ${id.port}` : ''}`;
}

/**
 * Refuses two pools on one database. Two tests, after connecting:
 * - the names and addresses the server reports (current_database(), inet_server_addr/port);
 * - a probe that needs no privilege and sees through host aliases, proxies, sockets and different roles: a random
 *   advisory lock taken in a transaction on the answers database cannot be taken on the key database when they are
 *   the same database (advisory locks are per database: the same key in another database does not conflict).
 */
export async function assertSeparateDatabases(answers: Pool, keys: Pool): Promise<void> {
  const probe = BigInt.asIntN(64, BigInt(`0x${randomBytes(8).toString('hex')}`)).toString();
  const client = await answers.connect();
  let holder: DatabaseIdentity;
  let other: DatabaseIdentity;
  let free: boolean;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [probe]);
    holder = await identity(client);
    other = await identity(keys);
    const probed = await keys.query<{ free: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS free', [probe]);
    free = defined(probed.rows[0], 'row of a SELECT without FROM').free;
  } finally {
    await client.query('COMMIT').catch(() => undefined);
    client.release();
  }
  const sameAddress =
    holder.db === other.db && holder.addr !== null && holder.addr === other.addr && holder.port === other.port;
  if (!free || sameAddress) {
    throw new Error(
      `DATABASE_URL and KEY_DATABASE_URL lead to the same database (${describe(holder)}). ` +
        'The answers and the keys must live in two different databases, each with its own role, so that a dump of one ' +
        'identifies nobody and a dump of the other holds no answer: create a second database (see the README, "Scaling out").',
    );
  }
}

/** Makes a connection error readable: which variable, which database, and what to check. */
export function connectionError(which: Which, err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  return new Error(`cannot reach the ${which} database (${URL_VARIABLE[which]}): ${message}`, { cause: err });
}

/** SQLSTATE classes and codes that mean "the database is (briefly) not there", not "the request is wrong". */
const TRANSIENT_CODES = new Set(['57P01', '57P02', '57P03', '53300', '53400', '40001', '40P01', '57014', '55P03']);
const TRANSIENT_NODE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/**
 * True for errors that a retry a moment later may cure: the server is down, restarting, overloaded, or cut the
 * connection; a statement timed out; a deadlock or serialization failure. The edge answers these with "probeer het
 * zo nog eens"; the transaction was rolled back, so nothing is half written.
 */
export function isTransientDatabaseError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('08') || TRANSIENT_CODES.has(code) || TRANSIENT_NODE.has(code)))
    return true;
  if (err.message.startsWith('cannot reach the')) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection timeout/i.test(
    err.message,
  );
}
