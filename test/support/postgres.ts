import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { migrateDatabase } from '../../src/storage/postgres/schema.js';

/**
 * Throw-away PostgreSQL databases for tests, on a real server (no mock of pg):
 * - TEST_DATABASE_URL set: fresh databases are created on that server (the URL's role needs CREATEDB);
 * - else Debian's PostgreSQL on this machine: its cluster is started (as root: pg_ctlcluster <version> main start;
 *   a superuser role "root" is created once), and the databases are created there.
 * Where PostgreSQL is not installed this fails, naming the command that installs it. It never skips.
 */

const SOCKET_DIR = '/var/run/postgresql';
const LOCAL_ADMIN_URL = `postgresql://root@/postgres?host=${SOCKET_DIR}`;
const PREFIX = 'wijzer_test_';

/** The URL with another database name; works for host and for socket (?host=/dir) URLs. */
export function withDatabase(url: string, database: string): string {
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/.exec(url);
  if (!m) throw new Error(`TEST_DATABASE_URL is not a postgresql:// URL: ${url}`);
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

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function installedVersion(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root) || !existsSync('/usr/bin/pg_ctlcluster')) return null;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(`${root}/${v}/bin/postgres`)).sort((a, b) => Number(b) - Number(a));
  return versions[0] ?? null;
}

let localReady: Promise<string> | null = null;

/** Starts this machine's Debian cluster when needed and returns a superuser URL for it. */
function localServer(): Promise<string> {
  localReady ??= (async () => {
    if (await canConnect(LOCAL_ADMIN_URL)) return LOCAL_ADMIN_URL;
    const version = installedVersion();
    if (!version) {
      throw new Error(
        'The PostgreSQL tests need a PostgreSQL server, and none is installed here: run `apt-get install -y postgresql` ' +
          '(Debian/Ubuntu), or set TEST_DATABASE_URL to a server where the role may create databases.',
      );
    }
    if (process.getuid?.() !== 0) {
      throw new Error(`PostgreSQL ${version} is installed but not reachable as root on ${SOCKET_DIR}; start it as root, or set TEST_DATABASE_URL.`);
    }
    const clusters = run('pg_lsclusters', ['--no-header']);
    if (!new RegExp(`^${version}\\s+main\\s`, 'm').test(clusters)) run('pg_createcluster', [version, 'main']);
    if (!/online/.test(run('pg_lsclusters', ['--no-header', version, 'main']))) run('pg_ctlcluster', [version, 'main', 'start']);
    const hasRoot = run('su', ['postgres', '-c', `psql -h ${SOCKET_DIR} -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'root'"`]).trim() === '1';
    if (!hasRoot) run('su', ['postgres', '-c', `createuser -h ${SOCKET_DIR} -s root`]);
    if (!(await canConnect(LOCAL_ADMIN_URL))) throw new Error(`started PostgreSQL ${version}, but cannot connect to ${LOCAL_ADMIN_URL}`);
    return LOCAL_ADMIN_URL;
  })();
  localReady.catch(() => { localReady = null; });
  return localReady;
}

export function adminUrl(): Promise<string> {
  const given = process.env.TEST_DATABASE_URL;
  return given ? Promise.resolve(given) : localServer();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: await adminUrl() });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops the test databases of test processes that died before they could clean up. */
async function dropOrphans(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${PREFIX}%`]);
  for (const { datname } of rows) {
    const pid = Number(/^wijzer_test_(\d+)_/.exec(datname)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
      continue; // Its process still runs (maybe another test run on this server).
    } catch {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
    }
  }
}

export interface DatabasePair {
  databaseUrl: string;
  keyDatabaseUrl: string;
  /** Drops both databases (connections still open are ended). */
  drop(): Promise<void>;
}

/** Two new, uniquely named databases (answers, keys); migrated unless { migrate: false }. */
export async function createDatabasePair(options: { migrate?: boolean } = {}): Promise<DatabasePair> {
  const base = `${PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  const names = [`${base}_answers`, `${base}_keys`];
  const server = await adminUrl();
  await admin(async (client) => {
    await dropOrphans(client);
    for (const name of names) await client.query(`CREATE DATABASE "${name}"`);
  });
  const pair: DatabasePair = {
    databaseUrl: withDatabase(server, names[0]),
    keyDatabaseUrl: withDatabase(server, names[1]),
    drop: () => admin(async (client) => {
      for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }),
  };
  if (options.migrate !== false) {
    await migrateDatabase(pair.databaseUrl, 'answers');
    await migrateDatabase(pair.keyDatabaseUrl, 'keys');
  }
  return pair;
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
