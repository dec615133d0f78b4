import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The server processes under test: the bench forks serverChild.js and steers it over IPC. */

export type Role = 'wijzer' | 'echo' | 'durable-echo';

export interface ServerReport {
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Of that CPU, the main thread's (the rest: V8's GC helpers, libuv's file-system threads); null off Linux. */
  mainThreadCpuMs: number | null;
  /** Event-loop delay since the last mark, in ms. */
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  rssMb: number;
}

export type ToServer = { type: 'mark' } | { type: 'settle' } | { type: 'report' } | { type: 'close' };
export type FromServer =
  | { type: 'ready'; url: string }
  | { type: 'report'; report: ServerReport }
  | { type: 'settled' }
  | { type: 'closed' }
  | { type: 'failed'; message: string };

/** What a measurement needs of a server: one process, or several measured as one. */
export type Measurable = Pick<ServerProcess, 'mark' | 'settle' | 'report'>;

const CHILD = fileURLToPath(new URL('./serverChild.js', import.meta.url));

/** Every server process still running: killed when the bench stops early. */
export const running = new Set<ServerProcess>();

/** The parent's handle on a server child process. */
export class ServerProcess {
  private waiting: ((message: FromServer) => void)[] = [];
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (message: FromServer) => this.waiting.shift()?.(message));
  }

  static async start(role: Role, env: Record<string, string>, profileDir: string | null): Promise<ServerProcess> {
    const execArgv = ['--no-deprecation'];
    if (profileDir) {
      execArgv.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${role}-${Date.now()}.cpuprofile`);
    }
    const child = fork(CHILD, [role], {
      env: { ...process.env, WIJZER_QUIET: '1', ...env },
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const first = await new Promise<FromServer>((done, fail) => {
      child.once('message', (m: FromServer) => done(m));
      child.once('exit', (code) => fail(new Error(`the ${role} server exited (${code}) before it listened`)));
      child.once('error', fail);
    });
    if (first.type !== 'ready') {
      child.kill();
      throw new Error(`the ${role} server did not start: ${first.type === 'failed' ? first.message : first.type}`);
    }
    const server = new ServerProcess(child, first.url);
    child.on('exit', () => (server.exited = true));
    running.add(server);
    return server;
  }

  private ask(message: ToServer): Promise<FromServer> {
    return new Promise((done) => {
      this.waiting.push(done);
      this.child.send(message);
    });
  }

  mark(): void {
    this.child.send({ type: 'mark' } satisfies ToServer);
  }

  /** Waits for the work the run left behind (the embedded store's checkpoint): it counts, and lands in no other run. */
  async settle(): Promise<void> {
    const answer = await this.ask({ type: 'settle' });
    if (answer.type !== 'settled') throw new Error(`unexpected answer ${answer.type}`);
  }

  async report(): Promise<ServerReport> {
    const answer = await this.ask({ type: 'report' });
    if (answer.type !== 'report') throw new Error(`unexpected answer ${answer.type}`);
    return answer.report;
  }

  async close(): Promise<void> {
    running.delete(this);
    if (this.exited) return;
    const exited = new Promise<void>((done) => this.child.once('exit', () => done()));
    this.child.send({ type: 'close' } satisfies ToServer);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

/** Several server processes measured as one: marks and reports go to each, CPU and RSS are summed. */
export function serverGroup(servers: ServerProcess[]): Measurable {
  return {
    mark: () => {
      for (const s of servers) s.mark();
    },
    async settle() {
      await Promise.all(servers.map((s) => s.settle()));
    },
    async report() {
      const reports = await Promise.all(servers.map((s) => s.report()));
      return {
        cpuUserMs: reports.reduce((n, r) => n + r.cpuUserMs, 0),
        cpuSystemMs: reports.reduce((n, r) => n + r.cpuSystemMs, 0),
        mainThreadCpuMs: reports.some((r) => r.mainThreadCpuMs === null)
          ? null
          : reports.reduce((n, r) => n + r.mainThreadCpuMs!, 0),
        loopDelayP50Ms: Math.max(...reports.map((r) => r.loopDelayP50Ms)),
        loopDelayP99Ms: Math.max(...reports.map((r) => r.loopDelayP99Ms)),
        loopDelayMaxMs: Math.max(...reports.map((r) => r.loopDelayMaxMs)),
        rssMb: reports.reduce((n, r) => n + r.rssMb, 0),
      };
    },
  };
}
