import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Config } from '../../src/config/env.js';
import type { StoreFiles } from '../../src/storage/lowdb/storeFiles.js';
import { freePort } from '../support/freePort.js';
import { mainThreadCpuMs } from '../support/threadCpu.js';
import type { FromServer, Role, ServerReport, ToServer } from './serverProcess.js';

/** A server under test in a process of its own (forked by ServerProcess), steered over IPC by the bench. */

async function serve(role: Role): Promise<void> {
  const send = (message: FromServer) => process.send?.(message);
  try {
    const { readConfig } = await import('../../src/config/env.js');
    const { DATA_DIR, KEY_DIR, CONTENT_DIR, DATABASE_URL, KEY_DATABASE_URL, PSEUDONYM_SECRET } = process.env;
    // PostgreSQL mode when the bench passes the databases (phases pg, pg2).
    const pgEnv = DATABASE_URL ? { DATABASE_URL, KEY_DATABASE_URL, PSEUDONYM_SECRET } : {};
    const port = String(await freePort());
    const config = readConfig({ WIJZER_LOCAL: '1', DATA_DIR, KEY_DIR, CONTENT_DIR, ...pgEnv, PORT: port });
    const server =
      role === 'wijzer' ? await startWijzer(config) : await startEchoServer(config, role === 'durable-echo');
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    let cpu = process.cpuUsage();
    let mainThread = mainThreadCpuMs();
    const report = (): ServerReport => {
      const used = process.cpuUsage(cpu);
      const mainThreadNow = mainThreadCpuMs();
      return {
        cpuUserMs: used.user / 1000,
        cpuSystemMs: used.system / 1000,
        mainThreadCpuMs: mainThreadNow === null || mainThread === null ? null : mainThreadNow - mainThread,
        loopDelayP50Ms: loop.percentile(50) / 1e6,
        loopDelayP99Ms: loop.percentile(99) / 1e6,
        loopDelayMaxMs: loop.max / 1e6,
        rssMb: process.memoryUsage().rss / 2 ** 20,
      };
    };
    process.on('message', (message: ToServer) => {
      if (message.type === 'mark') {
        cpu = process.cpuUsage();
        mainThread = mainThreadCpuMs();
        loop.reset();
      } else if (message.type === 'settle') {
        void server.settle().then(() => send({ type: 'settled' }));
      } else if (message.type === 'report') {
        send({ type: 'report', report: report() });
      } else if (message.type === 'close') {
        void server.close().finally(() => {
          send({ type: 'closed' });
          // A normal exit writes the --cpu-prof profile.
          process.exit(0);
        });
      }
    });
    process.on('disconnect', () => process.exit(0));
    send({ type: 'ready', url: server.url });
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exit(1);
  }
}

interface Served {
  url: string;
  /** Finishes the work a run left behind (the embedded store's checkpoint), so that the next run does not pay it. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Wijzer's server; on the embedded store its journal is checkpointed on request (the bench's settle). */
async function startWijzer(config: Config): Promise<Served> {
  const { startServer } = await import('../../src/server.js');
  if (config.DATABASE_URL) return { ...(await startServer(config)), settle: async () => undefined };
  const { openLowdbStores } = await import('../../src/storage/lowdb/index.js');
  const stores = openLowdbStores(config.DATA_DIR, config.KEY_DIR, { lockAs: 'the Wijzer bot' });
  const server = await startServer(config, stores);
  const settle = async () => {
    await Promise.all([stores.dataFiles.checkpoint(), stores.keyFiles.checkpoint()]);
  };
  return { url: server.url, close: () => server.close(), settle };
}

/**
 * What the durable echo bot writes a turn: about a Wijzer interview record in mid-interview (the journal records
 * of a closed-loop run averaged 3.8 KB in session 18's heap profile).
 */
const DURABLE_ECHO_BYTES = 3_800;

/**
 * The baseline: the smallest botbuilder bot, on the same adapter set-up (src/teams/adapter.ts) and restify. The
 * durable echo bot also writes one file of the participant's through the embedded store's file layer before it
 * echoes (journaled, durable, checkpointed as Wijzer's answers are): the floor that the promise "saved" sets on
 * the same disk, measured in the same run.
 */
async function startEchoServer(config: Config, durable: boolean): Promise<Served> {
  // eslint-disable-next-line no-restricted-syntax -- the baseline is botbuilder's own smallest bot, measured as such.
  const { ActivityHandler } = await import('botbuilder');
  const restify = (await import('restify')).default;
  const { createAdapter } = await import('../../src/teams/adapter.js');
  const adapter = createAdapter(config);
  const files = durable ? await durableEchoFiles(config.DATA_DIR) : null;
  const filler = 'x'.repeat(DURABLE_ECHO_BYTES);
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    const text = context.activity.text ?? '';
    if (files) {
      const name = (context.activity.from?.id ?? 'anyone').replace(/[^A-Za-z0-9-]/g, '-');
      await files.writeJsonText(join(files.root, 'echo', `${name}.json`), JSON.stringify({ text, filler }));
    }
    await context.sendActivity(`Echo: ${text}`);
    await next();
  });
  const server = restify.createServer({ name: 'echo' });
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    next();
  });
  await new Promise<void>((done) => {
    server.listen(config.PORT, '127.0.0.1', done);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    settle: async () => files?.checkpoint(),
    close: async () => {
      await new Promise<void>((done) => {
        server.close(() => done());
      });
      await files?.close();
    },
  };
}

/** The durable echo bot's store folder, journaled as the answers store's (its own folder: no lock to share). */
async function durableEchoFiles(dir: string): Promise<StoreFiles> {
  const { StoreFiles } = await import('../../src/storage/lowdb/storeFiles.js');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return new StoreFiles(dir, 'answers', undefined, 'writer');
}

const role = process.argv[2];
if (role !== 'wijzer' && role !== 'echo' && role !== 'durable-echo') {
  throw new Error(`serverChild: role must be wijzer, echo or durable-echo, got ${role}`);
}
void serve(role);
