/**
 * A PostgreSQL cluster of the test's own, for tests that stop or restart the server: initdb into a temporary
 * folder, its own port and socket folder, run as the `postgres` user (the tests run as root). The machine's shared
 * cluster, which other tests use at the same time, is never touched.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../scripts/support/freePort.js';

const run = promisify(execFile);

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a))[0] : undefined;
  if (!version) throw new Error('PostgreSQL is not installed: apt-get install -y postgresql');
  return path.join(root, version, 'bin');
}

export class PrivateCluster {
  private constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly bin: string,
  ) {}

  static async start(): Promise<PrivateCluster> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wijzer-pg-'));
    const { uid, gid } = await run('id', ['-u', 'postgres']).then(async ({ stdout }) => ({
      uid: Number(stdout),
      gid: Number((await run('id', ['-g', 'postgres'])).stdout),
    }));
    chownSync(dir, uid, gid);
    const cluster = new PrivateCluster(dir, await freePort(), binDir());
    await cluster.asPostgres('initdb', [
      '-D',
      cluster.data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    await cluster.startServer();
    return cluster;
  }

  private get data(): string {
    return path.join(this.dir, 'data');
  }

  private asPostgres(command: string, args: string[]): Promise<unknown> {
    return run('runuser', ['-u', 'postgres', '--', path.join(this.bin, command), ...args], { cwd: this.dir });
  }

  /** The admin URL (database postgres) over TCP. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async startServer(): Promise<void> {
    await this.asPostgres('pg_ctl', [
      '-D',
      this.data,
      '-l',
      path.join(this.dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`,
      'start',
    ]);
  }

  /** As a crash of the server: every connection breaks at once, and the start that follows recovers from the WAL. */
  async stopServer(mode: 'immediate' | 'fast' = 'immediate'): Promise<void> {
    await this.asPostgres('pg_ctl', ['-D', this.data, '-m', mode, '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.stopServer().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
