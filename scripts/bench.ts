/**
 * Wijzer's benchmark: `npm run bench` (a table) or `npm run bench -- --json` (the last stdout line is JSON).
 *
 *   a. Wijzer under load: the real server (startServer, lowdb store in a temp dir) in a child process, N simulated
 *      participants (default 200) doing whole interviews at once over keep-alive HTTP; the bot replies to a
 *      mock Bot Connector. A turn's latency is the POST round trip: CloudAdapter answers after the turn, replies
 *      included. At the end every interview must be complete in the store, or the bench fails.
 *   b. A bare botbuilder echo bot (ActivityHandler, CloudAdapter, restify, same mock connector) in a child
 *      process, with the same concurrency and the same number of turns.
 *   c. LowdbAnswerStore.saveInterview of a real record (from run a) with 1,000 and 60,000 interviews stored.
 *
 * The servers run in their own process (this script forked with --serve), so that the load generator and the
 * mock connector (this process) and the server under test each have a core of this 2-core machine. Before a
 * measured run the load generator opens its keep-alive connections (as the Bot Connector keeps its own), and
 * the bench reports how much CPU the rest of the machine used meanwhile: figures taken next to other work are
 * flagged as disturbed. The targets are printed, never asserted; a failed turn or an incomplete interview fails
 * the bench (exit code 1).
 *
 * Options: --json, --participants N (200), --warmup N (10), --saves N (300), --large N (60000),
 *          --phases a,b,c, --ramp MS (spread the participants' starts over MS instead of all at once),
 *          --profile DIR (write a V8 CPU profile of each server process to DIR, for `node --cpu-prof` analysis).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CardAutopilot, runParticipant, seededRandom, teamsActivity, type ParticipantIdentity } from './support/cardAutopilot.js';
import { freePort, MockConnector } from './support/mockConnector.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const ROUND = 'default';
const TENANT = 'bench-tenant';
/** The whole bench stops by itself after this long, whatever happens. */
const WATCHDOG_MS = 9 * 60_000;
/** A turn that takes longer counts as failed (and fails the bench). */
const REQUEST_TIMEOUT_MS = 120_000;
/** The Bot Connector service gives up on a bot's answer after 15 s: such a turn fails in Teams. */
const CONNECTOR_TIMEOUT_MS = 15_000;

// ------------------------------------------------------------------------------------------------ options

interface Options {
  json: boolean;
  participants: number;
  warmup: number;
  saves: number;
  small: number;
  large: number;
  phases: Set<string>;
  /** Spread the participants' starts evenly over this many ms (0: all at once). */
  rampMs: number;
  profileDir: string | null;
}

function parseArgs(argv: string[]): Options {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const int = (name: string, fallback: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} needs a whole number, got ${JSON.stringify(raw)}`);
    return n;
  };
  return {
    json: argv.includes('--json'),
    participants: Math.max(1, int('--participants', 200)),
    warmup: int('--warmup', 10),
    saves: Math.max(1, int('--saves', 300)),
    small: 1000,
    large: Math.max(1001, int('--large', 60_000)),
    rampMs: int('--ramp', 0),
    phases: new Set((value('--phases') ?? 'a,b,c').split(',').map((s) => s.trim())),
    profileDir: value('--profile') ? resolve(value('--profile')!) : null,
  };
}

// ------------------------------------------------------------------------------------------------ statistics

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

interface Latencies {
  count: number;
  /** Turns slower than the Bot Connector's 15 s. */
  overConnectorTimeout: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function summarise(samples: number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, overConnectorTimeout: sorted.filter((ms) => ms > CONNECTOR_TIMEOUT_MS).length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const round3 = (n: number): number => Math.round(n * 1000) / 1000;

// ------------------------------------------------------------------------------------------------ server processes

type Role = 'wijzer' | 'echo';

interface ServerReport {
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Event-loop delay since the last mark, in ms. */
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  rssMb: number;
}

type ToServer = { type: 'mark' } | { type: 'report' } | { type: 'close' };
type FromServer = { type: 'ready'; url: string } | { type: 'report'; report: ServerReport } | { type: 'closed' } | { type: 'failed'; message: string };

/** Runs in the forked child: the server under test, steered over IPC by the bench. */
async function serve(role: Role): Promise<void> {
  const send = (message: FromServer) => process.send?.(message);
  try {
    const { readConfig } = await import('../src/config/env.js');
    const { DATA_DIR, KEY_DIR, CONTENT_DIR } = process.env;
    const config = readConfig({ DATA_DIR, KEY_DIR, CONTENT_DIR, PORT: String(await freePort()) });
    const server = role === 'wijzer' ? await (await import('../src/server.js')).startServer(config) : await startEchoServer(config);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    let cpu = process.cpuUsage();
    const report = (): ServerReport => {
      const used = process.cpuUsage(cpu);
      return {
        cpuUserMs: used.user / 1000,
        cpuSystemMs: used.system / 1000,
        loopDelayP50Ms: loop.percentile(50) / 1e6,
        loopDelayP99Ms: loop.percentile(99) / 1e6,
        loopDelayMaxMs: loop.max / 1e6,
        rssMb: process.memoryUsage().rss / 2 ** 20,
      };
    };
    process.on('message', (message: ToServer) => {
      if (message.type === 'mark') {
        cpu = process.cpuUsage();
        loop.reset();
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
    send({ type: 'failed', message: err instanceof Error ? err.stack ?? err.message : String(err) });
    process.exit(1);
  }
}

/** The baseline: the smallest botbuilder bot, on the same adapter set-up (src/teams/adapter.ts) and restify. */
async function startEchoServer(config: import('../src/config/env.js').Config): Promise<{ url: string; close(): Promise<void> }> {
  const { ActivityHandler } = await import('botbuilder');
  const restify = (await import('restify')).default;
  const { createAdapter } = await import('../src/teams/adapter.js');
  const adapter = createAdapter(config);
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`Echo: ${context.activity.text ?? ''}`);
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
  await new Promise<void>((done) => server.listen(config.PORT, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** The parent's handle on a server child process. */
class ServerProcess {
  private waiting: ((message: FromServer) => void)[] = [];
  private exited = false;

  private constructor(private readonly child: ChildProcess, readonly url: string) {
    child.on('message', (message: FromServer) => this.waiting.shift()?.(message));
  }

  static async start(role: Role, env: Record<string, string>, profileDir: string | null): Promise<ServerProcess> {
    const execArgv = ['--no-deprecation'];
    if (profileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${role}-${Date.now()}.cpuprofile`);
    const child = fork(SELF, ['--serve', role], {
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

const running = new Set<ServerProcess>();

// ------------------------------------------------------------------------------------------------ load

/** Requests sent again because the server had just closed the idle keep-alive connection they went out on. */
let resent = 0;

/**
 * POSTs activities to a bot over keep-alive connections; resolves with the status once the bot answered.
 * A request that meets a reset on a reused connection is sent once more (Node's documented keep-alive race:
 * the server closed the idle connection as the request went out, so the bot never saw it).
 */
function poster(baseUrl: string, agent: http.Agent): (activity: Record<string, unknown>) => Promise<number> {
  const target = new URL('/api/messages', baseUrl);
  const attempt = (body: Buffer, retries: number): Promise<number> =>
    new Promise<number>((done, fail) => {
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } },
        (res) => {
          res.resume();
          res.on('end', () => done(res.statusCode ?? 0));
          res.on('error', fail);
        },
      );
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (retries > 0 && req.reusedSocket && err.code === 'ECONNRESET') {
          resent++;
          attempt(body, retries - 1).then(done, fail);
        } else {
          fail(err);
        }
      });
      req.end(body);
    });
  return (activity) => attempt(Buffer.from(JSON.stringify(activity)), 5);
}

/**
 * Opens `count` keep-alive connections to the server (GET /healthz) before a measured run, as the Bot Connector
 * service keeps its connections: the run then measures turns, not a storm of TCP handshakes.
 */
async function preconnect(baseUrl: string, agent: http.Agent, count: number): Promise<void> {
  const target = new URL('/healthz', baseUrl);
  await Promise.all(Array.from({ length: count }, () => new Promise<void>((done, fail) => {
    const req = http.get({ host: target.hostname, port: target.port, path: target.pathname, agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? done() : fail(new Error(`GET /healthz: HTTP ${res.statusCode}`))));
    });
    req.on('error', fail);
  })));
}

function identities(prefix: string, count: number, serviceUrl: string): ParticipantIdentity[] {
  return Array.from({ length: count }, (_, i) => ({
    userId: `29:${prefix}-${String(i + 1).padStart(4, '0')}`,
    userName: `Deelnemer ${prefix} ${i + 1}`,
    conversationId: `a:${prefix}-conversation-${String(i + 1).padStart(4, '0')}`,
    tenantId: TENANT,
    serviceUrl,
  }));
}

interface LoadResult {
  latencies: Latencies;
  turns: number;
  wallMs: number;
  turnsPerSec: number;
  turnsPerParticipant: number[];
  /** Latencies per card kind the turn answered ('start' opens the chat, 'consent' creates the interview). */
  byKind: Record<string, Latencies>;
  server: ServerReport;
  clientCpuMs: number;
  /** CPU the rest of the machine used meanwhile (other processes, the kernel's network work): noise when large. */
  otherCpuMs: number | null;
}

interface Sample {
  kind: string;
  ms: number;
}

/** Busy CPU time of the whole machine so far, in ms (Linux /proc/stat; null elsewhere). */
function machineBusyMs(): number | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    // USER_HZ is 100 on Linux: a jiffy is 10 ms.
    return (user + nice + system + irq + softirq + steal) * 10;
  } catch {
    return null;
  }
}

async function measure(server: ServerProcess, run: () => Promise<Sample[][]>): Promise<LoadResult> {
  server.mark();
  const busyBefore = machineBusyMs();
  const clientCpu = process.cpuUsage();
  const started = performance.now();
  const perParticipant = await run();
  const wallMs = performance.now() - started;
  const clientUsed = process.cpuUsage(clientCpu);
  const busyAfter = machineBusyMs();
  const serverReport = await server.report();
  const ours = serverReport.cpuUserMs + serverReport.cpuSystemMs + (clientUsed.user + clientUsed.system) / 1000;
  const all = perParticipant.flat();
  const samples = all.map((s) => s.ms);
  const kinds = [...new Set(all.map((s) => s.kind))];
  return {
    latencies: summarise(samples),
    byKind: Object.fromEntries(kinds.map((k) => [k, summarise(all.filter((s) => s.kind === k).map((s) => s.ms))])),
    turns: samples.length,
    wallMs,
    turnsPerSec: samples.length / (wallMs / 1000),
    turnsPerParticipant: perParticipant.map((p) => p.length),
    server: serverReport,
    clientCpuMs: (clientUsed.user + clientUsed.system) / 1000,
    otherCpuMs: busyBefore === null || busyAfter === null ? null : Math.max(0, busyAfter - busyBefore - ours),
  };
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Runs whole interviews, all at once (or over a ramp); fails with the participants' errors if any failed. */
async function interviews(people: ParticipantIdentity[], send: (a: Record<string, unknown>) => Promise<number>, connector: MockConnector, seed: number, rampMs = 0): Promise<Sample[][]> {
  const outcomes = await Promise.allSettled(
    people.map(async (identity, i) => {
      if (rampMs) await sleep((i * rampMs) / people.length);
      const result = await runParticipant({ identity, send, reader: connector, autopilot: new CardAutopilot({ seed: seed + i, choices: 'random' }) });
      if (!result.completed) throw new Error(`${identity.userId} did not complete`);
      return result.turns.map((t) => ({ kind: t.kind, ms: t.ms }));
    }),
  );
  const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed.length) {
    const shown = failed.slice(0, 5).map((f) => `  - ${f.reason instanceof Error ? f.reason.message : String(f.reason)}`).join('\n');
    throw new Error(`${failed.length} of ${people.length} participants failed:\n${shown}`);
  }
  return outcomes.map((o) => (o as PromiseFulfilledResult<Sample[]>).value);
}

/** Echo participants: the same number of message turns each; every turn must get its echo. */
async function echoes(people: ParticipantIdentity[], turnsEach: number[], send: (a: Record<string, unknown>) => Promise<number>, connector: MockConnector, rampMs = 0): Promise<Sample[][]> {
  return Promise.all(
    people.map(async (identity, p) => {
      if (rampMs) await sleep((p * rampMs) / people.length);
      const samples: Sample[] = [];
      for (let n = 0; n < turnsEach[p]; n++) {
        const seq = connector.lastSeq();
        const text = `hallo ${n}`;
        const started = performance.now();
        const status = await send(teamsActivity(identity, `${identity.conversationId}-in-${n}`, { type: 'message', text }));
        samples.push({ kind: n === 0 ? 'first' : 'message', ms: performance.now() - started });
        if (status !== 200) throw new Error(`echo ${identity.userId}: HTTP ${status}`);
        if (!connector.sentSince(identity.conversationId, seq).some((s) => s.activity.text === `Echo: ${text}`)) {
          throw new Error(`echo ${identity.userId}: no echo for turn ${n}`);
        }
      }
      return samples;
    }),
  );
}

/** Every measured participant's interview is in the store and complete; returns one complete record. */
async function verifyStore(dataDir: string, keyDir: string, people: ParticipantIdentity[], expectedFiles: number): Promise<Record<string, unknown>> {
  const { LowdbAnswerStore } = await import('../src/storage/lowdb/answerStore.js');
  const { LowdbKeyStore } = await import('../src/storage/lowdb/keyStore.js');
  const { pseudonymOf } = await import('../src/storage/pseudonym.js');
  const { pseudonymSecret } = await import('../src/storage/secret.js');
  const answers = new LowdbAnswerStore(dataDir);
  const keys = new LowdbKeyStore(keyDir);
  const secret = pseudonymSecret(undefined, keyDir);
  const problems: string[] = [];
  let sample: Record<string, unknown> | null = null;
  const codes = new Set<string>();
  for (const person of people) {
    const entry = await keys.lookup(pseudonymOf(secret, TENANT, person.userId), ROUND);
    if (!entry?.code) {
      problems.push(`${person.userId}: no interview code in the key store`);
      continue;
    }
    codes.add(entry.code);
    const record = await answers.getInterview(ROUND, entry.code);
    if (!record?.completedAt) problems.push(`${person.userId} (${entry.code}): ${record ? `not complete, at ${record.position.step}/${record.position.index}` : 'no record'}`);
    else sample ??= record as unknown as Record<string, unknown>;
  }
  if (codes.size !== people.length) problems.push(`${people.length} participants share ${codes.size} codes`);
  const files = readdirSync(join(dataDir, 'rounds', ROUND, 'interviews')).filter((n) => n.endsWith('.json'));
  if (files.length !== expectedFiles) problems.push(`${files.length} interview files in the store, expected ${expectedFiles}`);
  let incomplete = 0;
  for await (const record of answers.listInterviews(ROUND)) if (!record.completedAt) incomplete++;
  if (incomplete) problems.push(`${incomplete} stored interviews are not complete`);
  if (problems.length || !sample) throw new Error(`the store is not as the participants left it:\n${problems.slice(0, 10).map((p) => `  - ${p}`).join('\n')}`);
  return sample;
}

// ------------------------------------------------------------------------------------------------ phases

interface WijzerResult {
  load: LoadResult;
  solo: Latencies;
  record: Record<string, unknown>;
  connectorRoutes: Record<string, number>;
  connectorConnections: number;
}

async function phaseWijzer(options: Options, tmp: string, connector: MockConnector): Promise<WijzerResult> {
  const dataDir = join(tmp, 'wijzer-data');
  const keyDir = join(tmp, 'wijzer-keys');
  const server = await ServerProcess.start('wijzer', { DATA_DIR: dataDir, KEY_DIR: keyDir, CONTENT_DIR: ROOT }, options.profileDir);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.participants + 16 });
  try {
    const send = poster(server.url, agent);
    connector.reset();
    // Warm-up (not measured): JIT, connection pools, the store's folders.
    const warm = identities('warmup', options.warmup, connector.url);
    if (warm.length) await interviews(warm, send, connector, 10_000);
    // Unloaded latency: a few participants one after another.
    const soloPeople = identities('solo', 3, connector.url);
    const solo: number[] = [];
    for (const [i, person] of soloPeople.entries()) solo.push(...(await interviews([person], send, connector, 20_000 + i)).flat().map((s) => s.ms));
    // The measured run: every participant at once.
    const people = identities('participant', options.participants, connector.url);
    // With a ramp the connections open one by one anyway, and the server would close idle ones meanwhile.
    if (!options.rampMs) await preconnect(server.url, agent, options.participants);
    connector.reset();
    const load = await measure(server, () => interviews(people, send, connector, 1, options.rampMs));
    if (connector.stats.unexpected.length) throw new Error(`the mock connector got unexpected requests: ${JSON.stringify(connector.stats.unexpected.slice(0, 5))}`);
    const connectorRoutes = { ...connector.stats.byRoute };
    const connectorConnections = connector.stats.connections;
    agent.destroy();
    await server.close();
    const record = await verifyStore(dataDir, keyDir, people, warm.length + soloPeople.length + people.length);
    return { load, solo: summarise(solo), record, connectorRoutes, connectorConnections };
  } finally {
    agent.destroy();
    await server.close();
  }
}

interface EchoResult {
  load: LoadResult;
  solo: Latencies;
}

async function phaseEcho(options: Options, connector: MockConnector, turnsEach: number[]): Promise<EchoResult> {
  const server = await ServerProcess.start('echo', {}, options.profileDir);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.participants + 16 });
  try {
    const send = poster(server.url, agent);
    connector.reset();
    const typical = turnsEach[0] ?? 18;
    const warm = identities('echo-warmup', options.warmup, connector.url);
    await echoes(warm, warm.map(() => typical), send, connector);
    const soloPeople = identities('echo-solo', 3, connector.url);
    const solo: number[] = [];
    for (const person of soloPeople) solo.push(...(await echoes([person], [typical], send, connector)).flat().map((s) => s.ms));
    const people = identities('echo', turnsEach.length, connector.url);
    if (!options.rampMs) await preconnect(server.url, agent, people.length);
    connector.reset();
    const load = await measure(server, () => echoes(people, turnsEach, send, connector, options.rampMs));
    if (connector.stats.unexpected.length) throw new Error(`the mock connector got unexpected requests: ${JSON.stringify(connector.stats.unexpected.slice(0, 5))}`);
    return { load, solo: summarise(solo) };
  } finally {
    agent.destroy();
    await server.close();
  }
}

interface SaveResult {
  stored: number;
  medianMs: number;
  p95Ms: number;
  populateMs: number;
  recordBytes: number;
}

/**
 * Times saveInterview (with its revision check) of random stored interviews in two stores of one round each:
 * one filled with 1,000 copies of a real record, one with 60,000. The two are timed in alternating blocks, so
 * that JIT warm-up, the page cache and other work on the machine weigh on both alike.
 */
async function phaseSaves(options: Options, tmp: string, record: Record<string, unknown>): Promise<SaveResult[]> {
  const { LowdbAnswerStore } = await import('../src/storage/lowdb/answerStore.js');
  const { letterCode } = await import('../src/interview/codes.js');
  type Stored = import('../src/interview/types.js').InterviewRecord;
  const base = { ...(record as unknown as Stored), roundId: ROUND };
  const random = seededRandom(42);

  const stores = [options.small, options.large].map((size) => {
    const dataDir = join(tmp, `save-${size}`);
    const interviewsDir = join(dataDir, 'rounds', ROUND, 'interviews');
    mkdirSync(interviewsDir, { recursive: true });
    const started = performance.now();
    for (let i = 0; i < size; i++) {
      // lowdb's JSONFile writes JSON.stringify(data, null, 2): the same bytes the bot leaves.
      writeFileSync(join(interviewsDir, `${letterCode(i)}.json`), JSON.stringify({ ...base, code: letterCode(i), rev: 5 }, null, 2));
    }
    writeFileSync(join(dataDir, 'rounds', ROUND, 'counters.json'), JSON.stringify({ issued: size, declined: 0, withdrawn: 0 }, null, 2));
    return { size, store: new LowdbAnswerStore(dataDir), revs: new Array<number>(size).fill(5), samples: [] as number[], populateMs: performance.now() - started };
  });

  const save = async (target: (typeof stores)[number]): Promise<number> => {
    const index = Math.floor(random() * target.size);
    const rev = target.revs[index];
    const next: Stored = { ...base, code: letterCode(index), rev: rev + 1, lastSubmit: `{"bench":${rev + 1}}` };
    const started = performance.now();
    await target.store.saveInterview(next, rev);
    const ms = performance.now() - started;
    target.revs[index] = rev + 1;
    return ms;
  };

  for (let i = 0; i < 50; i++) for (const target of stores) await save(target); // warm-up
  const block = 25;
  while (stores.some((t) => t.samples.length < options.saves)) {
    for (const target of stores) {
      for (let i = 0; i < block && target.samples.length < options.saves; i++) target.samples.push(await save(target));
    }
  }
  for (const target of stores) {
    const stored = await target.store.getInterview(ROUND, letterCode(0));
    if (!stored || stored.rev !== target.revs[0]) throw new Error('saveInterview did not leave the expected revision in the store');
  }
  return stores.map((t) => {
    const sorted = [...t.samples].sort((a, b) => a - b);
    return { stored: t.size, medianMs: percentile(sorted, 50), p95Ms: percentile(sorted, 95), populateMs: t.populateMs, recordBytes: Buffer.byteLength(JSON.stringify(base, null, 2)) };
  });
}

/** A real, complete record when run (a) is skipped: one participant through a server of its own. */
async function oneRecord(options: Options, tmp: string, connector: MockConnector): Promise<Record<string, unknown>> {
  const dataDir = join(tmp, 'record-data');
  const keyDir = join(tmp, 'record-keys');
  const server = await ServerProcess.start('wijzer', { DATA_DIR: dataDir, KEY_DIR: keyDir, CONTENT_DIR: ROOT }, null);
  const agent = new http.Agent({ keepAlive: true });
  try {
    const people = identities('record', 1, connector.url);
    await interviews(people, poster(server.url, agent), connector, 1);
  } finally {
    agent.destroy();
    await server.close();
  }
  return verifyStore(dataDir, keyDir, identities('record', 1, connector.url), 1);
}

// ------------------------------------------------------------------------------------------------ report

function verdict(met: boolean): string {
  return met ? 'target met' : 'missed';
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const say = (line = '') => console.log(line);
  const tmp = mkdtempSync(join(tmpdir(), 'wijzer-bench-'));
  const connector = await MockConnector.start({ keepPerConversation: 6 });
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  const cleanup = async () => {
    for (const server of running) server.kill();
    await connector.close().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  };
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${WATCHDOG_MS / 60_000} minutes; stopping`);
    for (const server of running) server.kill();
    rmSync(tmp, { recursive: true, force: true });
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }

  const startedAt = performance.now();
  let wijzer: WijzerResult | null = null;
  let echo: EchoResult | null = null;
  let saves: SaveResult[] | null = null;
  try {
    say(`Wijzer bench: ${options.participants} participants ${options.rampMs ? `starting over ${options.rampMs} ms` : 'at once'}, ${cpus().length} cores, Node ${process.version}`);
    if (options.phases.has('a')) {
      say('a. Wijzer: whole interviews …');
      wijzer = await phaseWijzer(options, tmp, connector);
    }
    if (options.phases.has('b')) {
      say('b. echo bot: the same turns …');
      const turnsEach = wijzer?.load.turnsPerParticipant ?? Array.from({ length: options.participants }, () => 18);
      echo = await phaseEcho(options, connector, turnsEach);
    }
    if (options.phases.has('c')) {
      say(`c. saveInterview with ${options.small.toLocaleString('en')} and ${options.large.toLocaleString('en')} interviews stored …`);
      saves = await phaseSaves(options, tmp, wijzer?.record ?? (await oneRecord(options, tmp, connector)));
    }
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }

  const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits));
  const row = (cells: string[], widths: number[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const widths = [34, 9, 8, 8, 8, 8, 12];
  if (wijzer || echo) say();
  if (wijzer || echo) say(row(['turns over HTTP', 'turns/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'srv CPU/turn'], widths));
  for (const [name, r] of [['Wijzer, whole interviews', wijzer], ['echo bot, same turns', echo]] as const) {
    if (!r) continue;
    const cpuPerTurn = (r.load.server.cpuUserMs + r.load.server.cpuSystemMs) / r.load.turns;
    say(row([`${name} (${r.load.turns} turns)`, fmt(r.load.turnsPerSec, 0), fmt(r.load.latencies.p50), fmt(r.load.latencies.p95), fmt(r.load.latencies.p99), fmt(r.load.latencies.max), `${fmt(cpuPerTurn, 2)} ms`], widths));
  }
  for (const [name, r] of [['Wijzer, one participant alone', wijzer], ['echo bot, one participant alone', echo]] as const) {
    if (!r) continue;
    say(row([name, '', fmt(r.solo.p50), fmt(r.solo.p95), fmt(r.solo.p99), fmt(r.solo.max), ''], widths));
  }
  const pct = (ms: number | null, wallMs: number) => (ms === null ? '–' : `${fmt((ms / wallMs) * 100, 0)}%`);
  const machine = (name: string, load: LoadResult) => {
    const s = load.server;
    say(`  ${name}: wall ${fmt(load.wallMs / 1000)} s; CPU (% of one core) server ${pct(s.cpuUserMs + s.cpuSystemMs, load.wallMs)}, bench process (load + mock connector) ${pct(load.clientCpuMs, load.wallMs)}, rest of the machine ${pct(load.otherCpuMs, load.wallMs)}; server event-loop delay p99 ${fmt(s.loopDelayP99Ms)} ms (max ${fmt(s.loopDelayMaxMs)}), RSS ${fmt(s.rssMb, 0)} MB`);
    if (load.otherCpuMs !== null && load.otherCpuMs / load.wallMs > 0.15) say(`    warning: other work used ${pct(load.otherCpuMs, load.wallMs)} of a core during this run; its figures are disturbed`);
    say(`    latency by kind of turn: ${Object.entries(load.byKind).map(([k, l]) => `${k} p50 ${fmt(l.p50, 0)}/p99 ${fmt(l.p99, 0)} ms (${l.count})`).join(', ')}`);
    say(`    turns slower than the Bot Connector's 15 s timeout (they would fail in Teams): ${load.latencies.overConnectorTimeout}`);
  };
  if (wijzer) {
    machine('Wijzer', wijzer.load);
    say(`    connector calls ${JSON.stringify(wijzer.connectorRoutes)} over ${wijzer.connectorConnections} connections`);
    if (resent) say(`    requests sent again after a keep-alive reset on an idle connection: ${resent}`);
    say(`    all ${options.participants} interviews complete in the store (checked code by code through the key store)`);
  }
  if (echo) machine('echo bot', echo.load);
  if (saves) {
    say();
    say(row([`saveInterview (${fmt(saves[0].recordBytes / 1024)} kB record)`, 'median', 'p95', 'fill'], [34, 9, 8, 8]));
    for (const s of saves) say(row([`${s.stored.toLocaleString('en')} interviews stored`, `${fmt(s.medianMs, 3)} ms`, `${fmt(s.p95Ms, 3)} ms`, `${fmt(s.populateMs / 1000)} s`], [34, 9, 8, 8]));
  }

  const save1k = saves?.[0];
  const save60k = saves?.[1];
  const targets = {
    p99Under50Ms: wijzer ? wijzer.load.latencies.p99 < 50 : null,
    halfEchoThroughput: wijzer && echo ? wijzer.load.turnsPerSec >= echo.load.turnsPerSec / 2 : null,
    save60kWithin1_5x: save1k && save60k ? save60k.medianMs <= 1.5 * save1k.medianMs : null,
  };
  say();
  say('targets (reported, not asserted):');
  if (wijzer) say(`  p99 turn latency under 50 ms: ${fmt(wijzer.load.latencies.p99)} ms (${fmt(wijzer.load.latencies.p99 / 50, 2)}x the target) — ${verdict(targets.p99Under50Ms!)}`);
  if (wijzer && echo) say(`  at least half the echo bot's throughput: ${fmt(wijzer.load.turnsPerSec, 0)} vs ${fmt(echo.load.turnsPerSec, 0)} turns/s = ${fmt((wijzer.load.turnsPerSec / echo.load.turnsPerSec) * 100, 0)}% — ${verdict(targets.halfEchoThroughput!)}`);
  if (save1k && save60k) say(`  save at ${options.large.toLocaleString('en')} within 1.5x the save at 1,000: ${fmt(save60k.medianMs / save1k.medianMs, 2)}x — ${verdict(targets.save60kWithin1_5x!)}`);
  say(`total ${fmt((performance.now() - startedAt) / 1000)} s`);

  if (options.json) {
    const cpuPerTurn = (r: { load: LoadResult } | null) => (r ? round2((r.load.server.cpuUserMs + r.load.server.cpuSystemMs) / r.load.turns) : null);
    console.log(JSON.stringify({
      participants: options.participants,
      turns: wijzer?.load.turns ?? null,
      turnsPerSec: wijzer ? round2(wijzer.load.turnsPerSec) : null,
      p50Ms: wijzer ? round2(wijzer.load.latencies.p50) : null,
      p95Ms: wijzer ? round2(wijzer.load.latencies.p95) : null,
      p99Ms: wijzer ? round2(wijzer.load.latencies.p99) : null,
      maxMs: wijzer ? round2(wijzer.load.latencies.max) : null,
      turnsOver15s: wijzer?.load.latencies.overConnectorTimeout ?? null,
      consentP99Ms: wijzer?.load.byKind.consent ? round2(wijzer.load.byKind.consent.p99) : null,
      rampMs: options.rampMs,
      soloP50Ms: wijzer ? round2(wijzer.solo.p50) : null,
      soloP99Ms: wijzer ? round2(wijzer.solo.p99) : null,
      serverCpuMsPerTurn: cpuPerTurn(wijzer),
      echoTurns: echo?.load.turns ?? null,
      echoTurnsPerSec: echo ? round2(echo.load.turnsPerSec) : null,
      echoP50Ms: echo ? round2(echo.load.latencies.p50) : null,
      echoP95Ms: echo ? round2(echo.load.latencies.p95) : null,
      echoP99Ms: echo ? round2(echo.load.latencies.p99) : null,
      echoServerCpuMsPerTurn: cpuPerTurn(echo),
      otherCpuPct: wijzer?.load.otherCpuMs != null ? Math.round((wijzer.load.otherCpuMs / wijzer.load.wallMs) * 100) : null,
      save1kMs: save1k ? round3(save1k.medianMs) : null,
      save1kP95Ms: save1k ? round3(save1k.p95Ms) : null,
      save60kMs: save60k ? round3(save60k.medianMs) : null,
      save60kP95Ms: save60k ? round3(save60k.p95Ms) : null,
      saveLargeStored: save60k?.stored ?? null,
      targets,
    }));
  }
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt >= 0) {
  void serve(process.argv[serveAt + 1] as Role);
} else {
  main().catch((err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
