import { spawn, type ChildProcess } from 'node:child_process';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built bot (dist/src/main.js) as a child process, as production runs it: for tests and the soak that must
 * see the process itself survive (or die), and read everything it logged.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
/** dist/src/main.js, whether this module runs from the sources (jest) or from dist/ (the bench). */
export const BOT_MAIN = join(here, here.includes(`${sep}dist${sep}`) ? '../../src/main.js' : '../../dist/src/main.js');

/** The settings of a production bot (credentials, tenants, researchers), which a local test bot must not inherit. */
const PRODUCTION_SETTINGS = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'ALLOWED_TENANT_IDS',
  'NODE_OPTIONS',
  'PUBLIC_URL',
  'RESEARCHER_IDS',
  'NODE_ENV',
];

/** Removes this machine's production set-up from a child bot's environment, so it runs in local mode. */
export function withoutProductionSettings(env: NodeJS.ProcessEnv): void {
  for (const name of PRODUCTION_SETTINGS) delete env[name];
}

export class BotProcess {
  private text = '';
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    const collect = (chunk: Buffer) => {
      this.text += chunk.toString('utf8');
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    this.exited = new Promise((done) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        done(this.exit);
      }),
    );
  }

  /** Starts the bot with this environment on top of a clean one and waits until /healthz answers. */
  static async start(env: Record<string, string>, port: number): Promise<BotProcess> {
    const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: process.env.TZ };
    const child = spawn(process.execPath, [BOT_MAIN], {
      env: { ...base, PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const bot = new BotProcess(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (bot.exit)
        throw new Error(`the bot exited (${bot.exit.code ?? bot.exit.signal}) during start-up:\n${bot.output}`);
      const ok = await fetch(`${bot.url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return bot;
      if (Date.now() > deadline) throw new Error(`the bot did not answer /healthz within 20 s:\n${bot.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Everything the bot wrote to stdout and stderr so far. */
  get output(): string {
    return this.text;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exit === null;
  }

  /** Ends it (SIGKILL by default: a crash, no chance to flush or close) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.exit) return;
    this.child.kill(signal);
    await this.exited;
  }
}
