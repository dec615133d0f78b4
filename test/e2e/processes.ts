/**
 * The two processes of an end-to-end run: the built bot in local mode, and Microsoft's Agents Playground pointed at
 * it (or at a relay in front of it). Both are tracked children (test/support/children.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { spawnNodeLogged, stopChild, tracked } from '../support/children.js';
import { REPO_ROOT } from '../support/repoRoot.js';
import { answersOk, until } from '../support/until.js';
import { BOT_MAIN } from '../../scripts/support/botProcess.js';
import { freePort } from '../../scripts/support/freePort.js';

const require = createRequire(import.meta.url);
export const PLAYGROUND_CLI = path.join(
  path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')),
  'cli.js',
);

/** This machine's settings a local test bot must not inherit (unless the test sets them itself). */
const NOT_INHERITED = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'PSEUDONYM_SECRET',
  'ALLOWED_TENANT_IDS',
  'WIJZER_QUIET',
  'NODE_OPTIONS',
  'PUBLIC_URL',
];

export interface LocalBotOptions {
  port: number;
  dataDir: string;
  keyDir: string;
  /** stdout and stderr are appended here (across restarts). */
  log: string;
  env?: Record<string, string>;
}

/** Starts the built bot in local mode on these folders and waits for /healthz; fails early if it exits. */
export async function startLocalBot(options: LocalBotOptions): Promise<ChildProcess> {
  const extra = options.env ?? {};
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(options.port),
    DATA_DIR: options.dataDir,
    KEY_DIR: options.keyDir,
    CONTENT_DIR: REPO_ROOT,
    WIJZER_LOCAL: '1',
    ...extra,
  };
  for (const name of NOT_INHERITED) if (!(name in extra)) delete env[name];
  const bot = spawnNodeLogged([BOT_MAIN], { cwd: REPO_ROOT, env, log: options.log });
  let failure = '';
  bot.once('exit', (code, signal) => {
    failure = `the bot exited (${code ?? signal}) during start-up; see ${options.log}`;
  });
  bot.once('error', (err) => {
    failure = `the bot did not start: ${err.message}`;
  });
  try {
    await until(
      'bot /healthz',
      () => (failure ? Promise.reject(new Error(failure)) : answersOk(`http://127.0.0.1:${options.port}/healthz`)),
      15_000,
    );
  } catch (err) {
    await stopChild(bot);
    throw err;
  }
  return bot;
}

export interface PlaygroundOptions {
  /** Its working directory: it writes devTools/ there. */
  root: string;
  /** M365_AGENTS_PLAYGROUND_LOGFILE. */
  log: string;
  /** The bot's messaging endpoint as the Playground calls it. */
  endpoint: string;
  /** Record every request it sends and receives to <root>/devTools/events_recording_*.log. */
  recordEvents?: boolean;
}

export interface PlaygroundProcess {
  child: ChildProcess;
  port: number;
  /** Its stdout and stderr, kept in <root>/playground.out. */
  out: WriteStream;
}

/** Starts the Playground (Teams channel, no browser of its own) and waits until its HTTP API answers. */
export async function startPlayground(options: PlaygroundOptions): Promise<PlaygroundProcess> {
  mkdirSync(path.dirname(options.log), { recursive: true });
  const args = [
    PLAYGROUND_CLI,
    'start',
    '-e',
    options.endpoint,
    '-c',
    'msteams',
    '--dt',
    '-p',
    String(await freePort()),
  ];
  if (options.recordEvents) args.push('--er');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    APPLICATION_INSIGHTS_NO_STATSBEAT: '1',
    TEAMSAPPTESTER_BROWSER: 'none',
    M365_AGENTS_PLAYGROUND_LOGFILE: options.log,
  };
  delete env.NODE_OPTIONS;
  delete env.M365_AGENTS_PLAYGROUND_CONFIG_PATH;
  const child = tracked(spawn(process.execPath, args, { cwd: options.root, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  const out = createWriteStream(path.join(options.root, 'playground.out'));
  let output = '';
  let failure = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    out.write(chunk);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  child.once('exit', (code, signal) => {
    failure = `the Playground exited (${code ?? signal}): ${output.trim().slice(-500)} (see ${options.log})`;
  });
  const failed = () => (failure ? Promise.reject(new Error(failure)) : false);
  try {
    // It takes another port when the wanted one is taken: believe what it says it listens on.
    const port = Number(
      await until('Playground start', () => /Listening on (\d+)/.exec(output)?.[1] ?? failed(), 20_000),
    );
    await until(
      'Playground HTTP',
      async () => (await answersOk(`http://127.0.0.1:${port}/_internal/v1/testConfig`)) || failed(),
      15_000,
    );
    return { child, port, out };
  } catch (err) {
    await stopChild(child);
    await new Promise<void>((resolve) => out.end(resolve));
    throw err;
  }
}

/** One end-to-end run's temporary folder (the bot's data, keys and log, the Playground's log) and its two ports. */
export class RunFolder {
  readonly dataDir: string;
  readonly keyDir: string;
  /** The bot's stdout and stderr (appended across restarts). */
  readonly botLog: string;
  /** The Playground's own log (its working directory is the root). */
  readonly playgroundLog: string;
  botPort = 0;
  playgroundPort = 0;

  constructor(readonly root: string) {
    this.dataDir = path.join(root, 'data');
    this.keyDir = path.join(root, 'keys');
    this.botLog = path.join(root, 'bot.log');
    this.playgroundLog = path.join(root, 'devTools', 'm365agentsplayground.log');
  }

  get botUrl(): string {
    return `http://127.0.0.1:${this.botPort}`;
  }

  get playgroundUrl(): string {
    return `http://127.0.0.1:${this.playgroundPort}`;
  }
}
