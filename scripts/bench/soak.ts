import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom } from '../../src/analysis/random.js';
import { BotProcess } from '../support/botProcess.js';
import {
  CardAutopilot,
  teamsActivity,
  type AutopilotMove,
  type ParticipantIdentity,
  type SentActivity,
} from '../support/cardAutopilot.js';
import { freePort } from '../support/freePort.js';
import { MockConnector } from '../support/mockConnector.js';
import { p99 } from '../support/percentile.js';

/**
 * `npm run bench -- --soak MINUTES`: interviews start at a steady rate while a supervisor kills the bot (SIGKILL)
 * and starts it again every two minutes. A participant whose turn fails (the bot is down) sends it again until it
 * is answered, and types "verder" when the card it expected did not come. At the end every answer the bot
 * acknowledged (HTTP 200 after its reply) must be in the store. Not part of CI.
 */

export interface SoakOptions {
  minutes: number;
  contentDir: string;
  restartEveryMs?: number;
  /** A new interview starts this often. */
  startEveryMs?: number;
  /** Mean think time before a turn (uniform ±50%). */
  thinkMs?: number;
}

export interface SoakReport {
  minutes: number;
  restarts: number;
  started: number;
  completed: number;
  /** Answer-bearing submissions (questions, pick, place, follow-ups) the bot answered 200 to. */
  acknowledgedAnswers: number;
  /** Of those, not found in the store at the end: must be 0. */
  acknowledgedAnswersLost: number;
  /** Turns that had to be sent again because the bot was down. */
  resent: number;
  /**
   * Cards that did not come after an answered turn (the bot died between saving and replying), fetched with
   * "verder".
   */
  resynced: number;
  /** p99 (and count) of answered turns, per kind of card. */
  p99ByKind: Record<string, { count: number; p99Ms: number }>;
  /** Resident memory of each bot life: shortly after start and just before it was killed, MB. */
  rssMb: { early: number; late: number }[];
  maxGrowthMb: number;
  problems: string[];
}

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

function rssOf(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function cardOf(sent: SentActivity): Record<string, unknown> | null {
  const attachment = (
    sent.activity.attachments as { contentType?: string; content?: Record<string, unknown> }[] | undefined
  )?.find((a) => a.contentType === ADAPTIVE);
  return attachment?.content ?? null;
}

/** What an acknowledged answer must leave in the stored record. */
type Expectation =
  | { kind: 'questions'; step: string; answered: Record<string, string> }
  | { kind: 'pick'; cards: string[] }
  | { kind: 'place'; columns: Record<string, number> }
  | { kind: 'followUps' };

/** What the bot must keep of an answered card; null for a card that stores nothing checked here. */
function expectationOf(move: AutopilotMove): Expectation | null {
  const value = move.value as Record<string, string>;
  const inputs = (prefix: string) =>
    Object.entries(value)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v] as const);
  if (move.kind === 'questions' && move.stamp.s !== 'followUps') {
    const answered = Object.fromEntries(inputs('q_').filter(([, v]) => v.trim()));
    return { kind: 'questions', step: move.stamp.s, answered };
  }
  if (move.kind === 'questions') return { kind: 'followUps' };
  if (move.kind === 'pick') {
    return {
      kind: 'pick',
      cards: inputs('pick_')
        .filter(([, v]) => v === 'true')
        .map(([k]) => k),
    };
  }
  if (move.kind === 'place') {
    return { kind: 'place', columns: Object.fromEntries(inputs('col_').map(([k, v]) => [k, Number(v)])) };
  }
  return null;
}

/** Every acknowledged answer, read back from the stores the bot used: counted kept or lost in the report. */
async function countKept(
  report: SoakReport,
  expectations: Map<ParticipantIdentity, Expectation[]>,
  dataDir: string,
  keyDir: string,
): Promise<void> {
  const { openLowdbStores } = await import('../../src/storage/lowdb/index.js');
  const { pseudonymOf } = await import('../../src/storage/pseudonym.js');
  const { pseudonymSecret } = await import('../../src/storage/secret.js');
  const secret = pseudonymSecret(undefined, keyDir);
  // The bot may have been killed last: opened as a command opens it, the store replays its journals first.
  const stores = openLowdbStores(dataDir, keyDir, { lockAs: 'the soak', readOnlyIfHeld: true });
  const { answers, keys } = stores;
  for (const [identity, expected] of expectations) {
    const entry = await keys.lookup(pseudonymOf(secret, identity.tenantId, identity.userId), 'default');
    const record = entry?.code ? await answers.getInterview('default', entry.code) : null;
    let followUps = 0;
    for (const e of expected) {
      report.acknowledgedAnswers++;
      const kept =
        !!record &&
        (e.kind === 'questions'
          ? Object.keys(e.answered).every((q) => record.answers[e.step]?.[q] != null)
          : e.kind === 'pick'
            ? e.cards.every((c) => record.selection.includes(c))
            : e.kind === 'place'
              ? Object.entries(e.columns).every(([c, col]) => record.placement[c] === col)
              : ++followUps <= Object.keys(record.followUps).length);
      if (!kept) {
        report.acknowledgedAnswersLost++;
        const problem = `${identity.userId}: acknowledged ${e.kind} answer not stored`;
        if (report.problems.length < 10) report.problems.push(problem);
      }
    }
  }
  await stores.close();
}

/** Sends until the bot answers 200 (counting the resends in the report); the latency of the answered attempt. */
async function deliver(url: string, activity: Record<string, unknown>, report: SoakReport): Promise<number> {
  const deadline = performance.now() + 120_000;
  const body = JSON.stringify(activity);
  for (let attempt = 0; ; attempt++) {
    if (attempt) report.resent++;
    const started = performance.now();
    const headers = { 'content-type': 'application/json' };
    const init = { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) };
    const status = await fetch(`${url}/api/messages`, init).then(
      async (res) => {
        await res.arrayBuffer();
        return res.status;
      },
      () => 0,
    );
    if (status === 200) return performance.now() - started;
    if (status !== 0 && status < 500) throw new Error(`HTTP ${status}`);
    if (performance.now() > deadline) throw new Error('the bot did not answer for 2 minutes');
    await sleep(250);
  }
}

/** One soak in progress: what the supervisor and the participants share. */
interface SoakRun {
  say: (line: string) => void;
  restartEveryMs: number;
  thinkMs: number;
  env: Record<string, string>;
  port: number;
  connector: MockConnector;
  /** The bot's address; the same port after every restart. */
  url: string;
  bot: BotProcess;
  began: number;
  /** Resident memory of the current bot life, MB. */
  life: { early: number; late: number };
  running: boolean;
  report: SoakReport;
  latencies: Record<string, number[]>;
  expectations: Map<ParticipantIdentity, Expectation[]>;
}

function emptyReport(minutes: number): SoakReport {
  return {
    minutes,
    restarts: 0,
    started: 0,
    completed: 0,
    acknowledgedAnswers: 0,
    acknowledgedAnswersLost: 0,
    resent: 0,
    resynced: 0,
    p99ByKind: {},
    rssMb: [],
    maxGrowthMb: 0,
    problems: [],
  };
}

/** The supervisor: a crash every `restartEveryMs`, and a start right after, until the run stops. */
async function supervise(run: SoakRun): Promise<void> {
  while (run.running) {
    const lifeStart = performance.now();
    while (run.running && performance.now() - lifeStart < run.restartEveryMs) {
      await sleep(1000);
      if (Number.isNaN(run.life.early) && performance.now() - lifeStart > 20_000) run.life.early = rssOf(run.bot.pid);
    }
    if (!run.running) break;
    run.life.late = rssOf(run.bot.pid);
    run.report.rssMb.push(run.life);
    run.life = { early: NaN, late: NaN };
    await run.bot.kill('SIGKILL');
    run.bot = await BotProcess.start(run.env, run.port);
    run.report.restarts++;
    const minutes = ((performance.now() - run.began) / 60_000).toFixed(1);
    const completed = `${run.report.completed} interviews completed so far`;
    run.say(`  ${minutes} min: bot killed and restarted (${completed})`);
  }
}

/** One participant's interview, card by card, resending turns while the bot is down; what it must keep, noted. */
async function interview(run: SoakRun, identity: ParticipantIdentity, seed: number): Promise<void> {
  const { connector, report } = run;
  const autopilot = new CardAutopilot({ seed, choices: 'random' });
  const random = seededRandom(seed * 7919);
  const expected: Expectation[] = [];
  run.expectations.set(identity, expected);
  let seq = connector.lastSeq();
  let n = 0;
  const turn = async (kind: string, fields: Record<string, unknown>): Promise<SentActivity[]> => {
    const ms = await deliver(run.url, teamsActivity(identity, `${identity.conversationId}-in-${n++}`, fields), report);
    (run.latencies[kind] ??= []).push(ms);
    const sent = connector.sentSince(identity.conversationId, seq);
    seq = sent.at(-1)?.seq ?? seq;
    return sent;
  };
  let sent = await turn('start', {
    type: 'conversationUpdate',
    membersAdded: [{ id: identity.userId, name: identity.userName }],
  });
  for (let turns = 0; turns < 200; turns++) {
    const latest = [...sent].reverse().find((s) => cardOf(s));
    if (!latest) {
      report.resynced++;
      sent = await turn('verder', { type: 'message', text: 'verder' });
      continue;
    }
    const move = autopilot.respond(cardOf(latest));
    if (!move) {
      report.completed++;
      return;
    }
    await sleep(run.thinkMs * (0.5 + random()));
    sent = await turn(move.kind, { type: 'message', replyToId: latest.id, value: move.value });
    const expectation = expectationOf(move);
    if (expectation) expected.push(expectation);
  }
  throw new Error(`${identity.userId}: no closing card after 200 turns`);
}

/** Starts an interview every `startEveryMs` for `durationMs`; each one's failure becomes a problem of the report. */
async function startInterviews(run: SoakRun, durationMs: number, startEveryMs: number): Promise<Promise<void>[]> {
  const participants: Promise<void>[] = [];
  for (let i = 0; performance.now() - run.began < durationMs; i++) {
    const identity: ParticipantIdentity = {
      userId: `29:soak-${i}`,
      userName: `Deelnemer ${i}`,
      conversationId: `a:soak-${i}`,
      tenantId: 'soak-tenant',
      serviceUrl: run.connector.url,
    };
    run.report.started++;
    participants.push(
      interview(run, identity, i + 1).catch((err: unknown) => {
        run.report.problems.push(err instanceof Error ? err.message : String(err));
      }),
    );
    await sleep(startEveryMs);
  }
  return participants;
}

/** The latency and memory figures of the report, from the turns' latencies and the bot lives' memory. */
function addFigures(report: SoakReport, latencies: Record<string, number[]>): void {
  report.p99ByKind = Object.fromEntries(
    Object.entries(latencies).map(([k, v]) => [k, { count: v.length, p99Ms: Math.round(p99(v) * 10) / 10 }]),
  );
  const growths = report.rssMb
    .filter((l) => !Number.isNaN(l.early) && !Number.isNaN(l.late))
    .map((l) => l.late - l.early);
  report.maxGrowthMb = growths.length ? Math.round(Math.max(...growths) * 10) / 10 : NaN;
}

export async function runSoak(options: SoakOptions, say: (line: string) => void): Promise<SoakReport> {
  const dir = mkdtempSync(join(tmpdir(), 'wijzer-soak-'));
  const dataDir = join(dir, 'data');
  const keyDir = join(dir, 'keys');
  const connector = await MockConnector.start({ keepPerConversation: 30 });
  const port = await freePort();
  const env = {
    WIJZER_LOCAL: '1',
    DATA_DIR: dataDir,
    KEY_DIR: keyDir,
    CONTENT_DIR: options.contentDir,
    WIJZER_QUIET: '1',
    SCHEDULER_INTERVAL_SEC: '30',
  };
  const bot = await BotProcess.start(env, port);
  const run: SoakRun = {
    say,
    restartEveryMs: options.restartEveryMs ?? 120_000,
    thinkMs: options.thinkMs ?? 600,
    env,
    port,
    connector,
    url: bot.url,
    bot,
    began: performance.now(),
    life: { early: NaN, late: NaN },
    running: true,
    report: emptyReport(options.minutes),
    latencies: {},
    expectations: new Map(),
  };
  const supervisor = supervise(run);
  const participants = await startInterviews(run, options.minutes * 60_000, options.startEveryMs ?? 3_000);
  await Promise.all(participants);
  run.running = false;
  await supervisor;
  run.life.late = rssOf(run.bot.pid);
  run.report.rssMb.push(run.life);
  await run.bot.kill('SIGTERM');
  await connector.close();

  await countKept(run.report, run.expectations, dataDir, keyDir);
  rmSync(dir, { recursive: true, force: true });
  addFigures(run.report, run.latencies);
  return run.report;
}

/** The soak as the bench runs it: a line per restart, a summary, and with --json the report as the last line. */
export async function soakMain(minutes: number, contentDir: string, json: boolean): Promise<void> {
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error('--soak needs a number of minutes, e.g. --soak 20');
  const say = (line: string) => console.log(line);
  say(`soak: ${minutes} min, a new interview every 3 s, the bot killed (SIGKILL) and restarted every 2 min …`);
  const r = await runSoak({ minutes, contentDir }, say);
  const again = `turns sent again ${r.resent}, cards fetched again ${r.resynced}`;
  say(`  interviews: ${r.completed} of ${r.started} completed; ${r.restarts} restarts; ${again}`);
  say(`  acknowledged answers: ${r.acknowledgedAnswers}, lost ${r.acknowledgedAnswersLost} (must be 0)`);
  say(
    `  p99 per kind of turn: ${Object.entries(r.p99ByKind)
      .map(([k, v]) => `${k} ${v.p99Ms} ms (${v.count})`)
      .join(', ')}`,
  );
  const lives = r.rssMb.map((l) => `${l.early.toFixed(0)}→${l.late.toFixed(0)}`).join(', ');
  say(`  memory per bot life (MB, at 20 s and before the kill): ${lives}; largest growth ${r.maxGrowthMb} MB`);
  for (const problem of r.problems) say(`  problem: ${problem}`);
  if (json) console.log(JSON.stringify(r));
  if (r.acknowledgedAnswersLost > 0 || r.problems.length) process.exitCode = 1;
}
