import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { migrateDatabase } from '../../src/storage/postgres/schema.js';

/**
 * Throw-away PostgreSQL databases for the bench: the minimal part of test/support/postgres.ts (the build compiles
 * src/ and scripts/ only). BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a server whose role may create databases;
 * else Debian's PostgreSQL on this machine: its cluster is started as root (pg_ctlcluster <version> main start, a
 * superuser role "root" created once). Where that is impossible, `pgUnavailable` says why, and the bench skips.
 */

const SOCKET_DIR = '/var/run/postgresql';
const LOCAL_ADMIN_URL = `postgresql://root@/postgres?host=${SOCKET_DIR}`;
const PREFIX = 'wijzer_bench_';

export function withDatabase(url: string, database: string): string {
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/.exec(url);
  if (!m) throw new Error(`not a postgresql:// URL: ${url}`);
  return `${m[1]}/${encodeURIComponent(database)}${m[3] ?? ''}`;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const run = (command: string, args: string[]): string => execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function installedVersion(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root) || !existsSync('/usr/bin/pg_ctlcluster')) return null;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(`${root}/${v}/bin/postgres`)).sort((a, b) => Number(b) - Number(a));
  return versions[0] ?? null;
}

/** A superuser URL of a reachable server (starting this machine's Debian cluster when needed). */
async function adminUrl(): Promise<string> {
  const given = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (given) return given;
  if (await canConnect(LOCAL_ADMIN_URL)) return LOCAL_ADMIN_URL;
  const version = installedVersion();
  if (!version) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql), and BENCH_DATABASE_URL is not set');
  if (process.getuid?.() !== 0) throw new Error(`PostgreSQL ${version} is installed but not reachable as root on ${SOCKET_DIR}, and only root may start it here`);
  const clusters = run('pg_lsclusters', ['--no-header']);
  if (!new RegExp(`^${version}\\s+main\\s`, 'm').test(clusters)) run('pg_createcluster', [version, 'main']);
  if (!/online/.test(run('pg_lsclusters', ['--no-header', version, 'main']))) run('pg_ctlcluster', [version, 'main', 'start']);
  const hasRoot = run('su', ['postgres', '-c', `psql -h ${SOCKET_DIR} -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'root'"`]).trim() === '1';
  if (!hasRoot) run('su', ['postgres', '-c', `createuser -h ${SOCKET_DIR} -s root`]);
  if (!(await canConnect(LOCAL_ADMIN_URL))) throw new Error(`started PostgreSQL ${version}, but cannot connect to ${LOCAL_ADMIN_URL}`);
  return LOCAL_ADMIN_URL;
}

async function admin<T>(server: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface BenchDatabases {
  databaseUrl: string;
  keyDatabaseUrl: string;
  /** Drops both databases (connections still open are ended). */
  drop(): Promise<void>;
}

/** Two new, migrated databases (answers, keys); first drops those of bench processes that died before cleaning up. */
export async function createBenchDatabases(): Promise<BenchDatabases> {
  const server = await adminUrl();
  const base = `${PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  const names = [`${base}_answers`, `${base}_keys`];
  await admin(server, async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${PREFIX}%`]);
    for (const { datname } of rows) {
      const pid = Number(/^wijzer_bench_(\d+)_/.exec(datname)?.[1]);
      if (!pid || pid === process.pid) continue;
      try {
        process.kill(pid, 0);
      } catch {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
      }
    }
    for (const name of names) await client.query(`CREATE DATABASE "${name}"`);
  });
  const pair: BenchDatabases = {
    databaseUrl: withDatabase(server, names[0]),
    keyDatabaseUrl: withDatabase(server, names[1]),
    drop: () => admin(server, async (client) => {
      for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }),
  };
  try {
    await migrateDatabase(pair.databaseUrl, 'answers');
    await migrateDatabase(pair.keyDatabaseUrl, 'keys');
  } catch (err) {
    await pair.drop().catch(() => undefined);
    throw err;
  }
  return pair;
}
