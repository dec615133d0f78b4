import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { migrateDatabase } from '../../src/storage/postgres/schema.js';

/**
 * Throw-away PostgreSQL databases on a real server, for the tests and the bench (here, because the build compiles
 * src/ and scripts/ only). A URL from the environment names a server whose role may create databases; else Debian's
 * PostgreSQL on this machine: its cluster is started as root (pg_ctlcluster <version> main start; a superuser role
 * "root" is created once). Where PostgreSQL is not installed this fails, naming the command that installs it.
 */

const SOCKET_DIR = '/var/run/postgresql';
const LOCAL_ADMIN_URL = `postgresql://root@/postgres?host=${SOCKET_DIR}`;

/** The URL with another database name; works for host and for socket (?host=/dir) URLs. */
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

const run = (command: string, args: string[]): string =>
  execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function installedVersion(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root) || !existsSync('/usr/bin/pg_ctlcluster')) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(`${root}/${v}/bin/postgres`))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ?? null;
}

let localReady: Promise<string> | null = null;

/** Starts this machine's Debian cluster when needed and returns a superuser URL for it. */
function localServer(envNames: string): Promise<string> {
  localReady ??= (async () => {
    if (await canConnect(LOCAL_ADMIN_URL)) return LOCAL_ADMIN_URL;
    const version = installedVersion();
    if (!version) {
      throw new Error(
        `This needs a PostgreSQL server, and none is installed here: run \`apt-get install -y postgresql\` (Debian/Ubuntu), or set ${envNames} to a server where the role may create databases.`,
      );
    }
    if (process.getuid?.() !== 0)
      throw new Error(
        `PostgreSQL ${version} is installed but not reachable as root on ${SOCKET_DIR}; start it as root, or set ${envNames}.`,
      );
    const clusters = run('pg_lsclusters', ['--no-header']);
    if (!new RegExp(`^${version}\\s+main\\s`, 'm').test(clusters)) run('pg_createcluster', [version, 'main']);
    if (!/online/.test(run('pg_lsclusters', ['--no-header', version, 'main'])))
      run('pg_ctlcluster', [version, 'main', 'start']);
    const hasRoot =
      run('su', [
        'postgres',
        '-c',
        `psql -h ${SOCKET_DIR} -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'root'"`,
      ]).trim() === '1';
    if (!hasRoot) run('su', ['postgres', '-c', `createuser -h ${SOCKET_DIR} -s root`]);
    if (!(await canConnect(LOCAL_ADMIN_URL)))
      throw new Error(`started PostgreSQL ${version}, but cannot connect to ${LOCAL_ADMIN_URL}`);
    return LOCAL_ADMIN_URL;
  })();
  localReady.catch(() => {
    localReady = null;
  });
  return localReady;
}

/** A superuser URL: the first of the named environment variables that is set, else this machine's cluster. */
function adminUrl(envVariables: string[]): Promise<string> {
  const given = envVariables.map((name) => process.env[name]).find(Boolean);
  return given ? Promise.resolve(given) : localServer(envVariables.join(' or '));
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

/** Drops the databases of processes that died before they could clean up (another live run keeps its own). */
async function dropOrphans(client: pg.Client, prefix: string): Promise<void> {
  const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
    `${prefix}%`,
  ]);
  for (const { datname } of rows) {
    const pid = Number(datname.slice(prefix.length).split('_')[0]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
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

export interface PairOptions {
  /** Names start with it, followed by the process id: how orphans are recognised. */
  prefix: string;
  /** Environment variables that may name the server, in order. */
  envVariables: string[];
  migrate?: boolean;
}

/** Two new, uniquely named databases (answers, keys); migrated unless migrate is false. */
export async function createDatabasePair(options: PairOptions): Promise<DatabasePair> {
  const server = await adminUrl(options.envVariables);
  const base = `${options.prefix}${process.pid}_${randomBytes(4).toString('hex')}`;
  const names = [`${base}_answers`, `${base}_keys`] as const;
  await admin(server, async (client) => {
    await dropOrphans(client, options.prefix);
    for (const name of names) await client.query(`CREATE DATABASE "${name}"`);
  });
  const pair: DatabasePair = {
    databaseUrl: withDatabase(server, names[0]),
    keyDatabaseUrl: withDatabase(server, names[1]),
    drop: () =>
      admin(server, async (client) => {
        for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }),
  };
  if (options.migrate === false) return pair;
  try {
    await migrateDatabase(pair.databaseUrl, 'answers');
    await migrateDatabase(pair.keyDatabaseUrl, 'keys');
  } catch (err) {
    await pair.drop().catch(() => undefined);
    throw err;
  }
  return pair;
}

export type BenchDatabases = DatabasePair;

/** The bench's pair: BENCH_DATABASE_URL or TEST_DATABASE_URL, else this machine's cluster. */
export function createBenchDatabases(): Promise<BenchDatabases> {
  return createDatabasePair({ prefix: 'wijzer_bench_', envVariables: ['BENCH_DATABASE_URL', 'TEST_DATABASE_URL'] });
}
