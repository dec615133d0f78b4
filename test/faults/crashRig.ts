/**
 * The rig of the crash tests: a supervisor that runs the built bot (`node dist/src/main.js`) as a child process,
 * kills it with SIGKILL at seeded random moments and starts it again, as systemd or a container runtime would;
 * and scripted participants (the card autopilot) that keep answering through the crashes the way a person
 * would: a turn that got no reply is not counted as saved, and after it they type "verder" to see where they are.
 *
 * What a participant was told is saved is what they saw a reply to: every submission after which the next card
 * arrived (a later revision, or the closing card). A reply that says the pressed card is outdated shows a card too,
 * but saved nothing: it is no acknowledgement, and where it puts the participant is checked like a resume. The
 * acknowledged answers are looked for in the store afterwards, each under its own step and question.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CardAutopilot,
  teamsActivity,
  type ParticipantIdentity,
  type Stamp,
} from '../../scripts/support/cardAutopilot.js';
import { seededRandom } from '../../src/analysis/random.js';
import { BOT_MAIN, withoutProductionSettings } from '../../scripts/support/botProcess.js';
import { freePort } from '../../scripts/support/freePort.js';
import type { MockConnector } from '../../scripts/support/mockConnector.js';
import {
  DigestChannelsSchema,
  DigestLogSchema,
  InterviewRecordSchema,
  NumberTokensSchema,
  OutboxJobSchema,
  ParticipantKeysSchema,
  ResearchersSchema,
  RoundCountersSchema,
  RoundSchema,
} from '../../src/storage/records.js';
import { decodeJournal } from '../../src/storage/lowdb/journalRecords.js';
import { participantText } from '../../src/interview/messages.js';
import type { Answers, InterviewRecord } from '../../src/interview/types.js';
import { at } from '../support/defined.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children)
    try {
      child.kill('SIGKILL');
    } catch {
      /* gone */
    }
});

/** Runs one bot on a fixed port and restarts it after each kill. */
export class Supervisor {
  private child: ChildProcess | null = null;
  private up: Promise<void> | null = null;
  /** The killed process's exit: a new one starts only after it, as a supervisor would. */
  private dead: Promise<void> = Promise.resolve();
  readonly log: string;
  starts = 0;
  kills = 0;

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
    root: string,
  ) {
    this.log = path.join(root, `${name}.log`);
  }

  static async create(name: string, root: string, env: Record<string, string>): Promise<Supervisor> {
    if (!existsSync(BOT_MAIN)) throw new Error(`${BOT_MAIN} is missing: run "npm run build" first.`);
    const port = await freePort();
    const childEnv: NodeJS.ProcessEnv = { ...process.env, WIJZER_LOCAL: '1', ...env, PORT: String(port) };
    withoutProductionSettings(childEnv);
    return new Supervisor(name, port, childEnv, root);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The running bot's process id. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the bot (if it is not running) and resolves once /readyz answers. */
  ready(): Promise<void> {
    this.up ??= this.dead.then(() => this.start());
    return this.up;
  }

  private async start(): Promise<void> {
    const fd = openSync(this.log, 'a');
    const child = spawn(process.execPath, [BOT_MAIN], { cwd: REPO_ROOT, env: this.env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    children.add(child);
    child.once('exit', () => children.delete(child));
    this.child = child;
    this.starts++;
    for (const deadline = Date.now() + 60_000; ;) {
      if (child.exitCode !== null)
        throw new Error(`${this.name} exited during start-up: ${readFileSync(this.log, 'utf8').slice(-2000)}`);
      const ok = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline)
        throw new Error(`${this.name} not ready after 60 s: ${readFileSync(this.log, 'utf8').slice(-2000)}`);
      await sleep(50);
    }
  }

  /** kill -9: no chance to flush, close or say goodbye. The next ready() starts a new process. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      this.dead = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
    }
    this.up = null;
    this.child = null;
    await this.dead;
    this.kills++;
  }

  /** Kills the bot `times` times, each a seeded random time after it became ready, while `busy()` holds. */
  async crashLoop(times: number, seed: number, busy: () => boolean, delayMs: [number, number]): Promise<void> {
    const random = seededRandom(seed);
    while (this.kills < times && busy()) {
      await this.ready();
      await sleep(delayMs[0] + random() * (delayMs[1] - delayMs[0]));
      await this.kill();
    }
    await this.ready();
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.up = null;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  }
}

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
type Json = Record<string, unknown>;

function cardIn(activity: Json): Json | null {
  const attachments = Array.isArray(activity.attachments) ? (activity.attachments as Json[]) : [];
  const card = attachments.find((a) => a.contentType === ADAPTIVE);
  return card && typeof card.content === 'object' ? (card.content as Json) : null;
}

function stampOf(card: Json): Stamp | null {
  const actions = Array.isArray(card.actions) ? (card.actions as { data?: { wz?: Stamp } }[]) : [];
  return actions.find((a) => a.data?.wz)?.data?.wz ?? null;
}

/** One answer of an acknowledged submission: where the card was shown, the question, what was entered. */
export interface AcknowledgedAnswer {
  step: string;
  index: number;
  question: string;
  value: string;
}

/** The reply to a pressed card that saved nothing, in either language. */
const STALE_CARD = new Set([participantText('nl', 'staleCard'), participantText('en', 'staleCard')]);

/** What reached the chat in reply to one activity: the newest card and every text. */
interface TurnReply {
  card: Json;
  id: string;
  texts: string[];
}

/**
 * Whether the reply to a press tells the participant it was saved: no "outdated card" text, and the card shown is
 * past the pressed one (every save bumps the revision; the closing card has nothing to press, so no stamp).
 */
export function acknowledges(pressed: Stamp, reply: TurnReply): boolean {
  if (reply.texts.some((text) => STALE_CARD.has(text))) return false;
  const shown = stampOf(reply.card);
  return shown === null || shown.r > pressed.r;
}

/** One participant's run: what they were told was saved, and what happened when they came back. */
export interface CrashRun {
  identity: ParticipantIdentity;
  completed: boolean;
  /** The answers of every submission whose reply acknowledged it. */
  acknowledged: AcknowledgedAnswer[];
  turns: number;
  failedTurns: number;
  /**
   * Each time the participant came back after a turn that was not acknowledged (no reply, or "outdated card"): the
   * revision they had seen and the one shown.
   */
  resumes: { seenRev: number; shownRev: number; seenStep: string; shownStep: string }[];
  /** Replies that were the "try again" message (expected only while a database restarts). */
  tryAgain: string[];
  /** The last texts and card steps the participant saw, for the message of a failed check. */
  trail: string[];
}

/**
 * Plays one interview against a bot that may die at any moment. `target()` says where to send (waits until a
 * bot is up). A submission counts as acknowledged when its reply does (see `acknowledges`).
 */
export async function crashParticipant(
  identity: ParticipantIdentity,
  connector: MockConnector,
  target: () => Promise<string>,
  seed: number,
  maxTurns = 400,
): Promise<CrashRun> {
  const autopilot = new CardAutopilot({ seed, choices: 'random' });
  const run: CrashRun = {
    identity,
    completed: false,
    acknowledged: [],
    turns: 0,
    failedTurns: 0,
    resumes: [],
    tryAgain: [],
    trail: [],
  };
  let seq = connector.lastSeq();
  let n = 0;
  let seen: Stamp | null = null;
  let lost = false;

  let finishedBefore = false;
  /** Sends one activity; returns what reached the chat in reply (null: no reply with a card). */
  const turn = async (fields: Json): Promise<TurnReply | null> => {
    run.turns++;
    const url = await target();
    try {
      const res = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(teamsActivity(identity, `${identity.conversationId}-in-${n++}`, fields)),
        signal: AbortSignal.timeout(30_000),
      });
      await res.arrayBuffer();
    } catch {
      // The bot died under the request; what reached the chat before counts all the same.
    }
    const sent = connector.sentSince(identity.conversationId, seq);
    seq = sent.at(-1)?.seq ?? seq;
    for (const s of sent)
      if (typeof s.activity.text === 'string' && /probeer het zo nog eens|try again in a moment/i.test(s.activity.text))
        run.tryAgain.push(s.activity.text);
    // The closing card was lost with a crash: "verder" then says the interview is complete.
    if (sent.some((s) => typeof s.activity.text === 'string' && /al afgerond|already completed/.test(s.activity.text)))
      finishedBefore = true;
    const latest = [...sent].reverse().find((s) => cardIn(s.activity));
    run.trail.push(
      `${String(fields.text ?? fields.type)} -> ${sent.map((s) => (cardIn(s.activity) ? `card ${JSON.stringify(stampOf(cardIn(s.activity)!))}` : (typeof s.activity.text === 'string' ? s.activity.text : '').slice(0, 60))).join(' | ') || 'nothing'}`,
    );
    if (run.trail.length > 6) run.trail.shift();
    if (!latest) run.failedTurns++;
    const texts = sent.flatMap((s) => (typeof s.activity.text === 'string' ? [s.activity.text] : []));
    return latest ? { card: cardIn(latest.activity)!, id: latest.id, texts } : null;
  };

  let reply = await turn({
    type: 'conversationUpdate',
    membersAdded: [{ id: identity.userId, name: identity.userName }],
  });
  while (run.turns < maxTurns) {
    if (finishedBefore) {
      run.completed = true;
      return run;
    }
    if (!reply) {
      // No reply: the participant does not know whether it was saved, and asks where they are.
      lost = true;
      await sleep(150);
      reply = await turn({ type: 'message', text: 'verder' });
      continue;
    }
    const stamp = stampOf(reply.card);
    if (lost && seen && stamp)
      run.resumes.push({ seenRev: seen.r, shownRev: stamp.r, seenStep: seen.s, shownStep: stamp.s });
    lost = false;
    seen = stamp;
    const move = autopilot.respond(reply.card);
    if (!move) {
      run.completed = true;
      return run;
    }
    const next = await turn({ type: 'message', replyToId: reply.id, value: move.value });
    if (next && acknowledges(move.stamp, next)) run.acknowledged.push(...answersOf(move.stamp, move.value));
    // Not saved ("outdated card"): the card shown is where the bot says the participant is, checked as a resume.
    else if (next) lost = true;
    reply = next;
  }
  return run;
}

/** The question inputs of a submission ("q_<question id>"), under the step and index its card was shown at. */
function answersOf(stamp: Stamp, value: Record<string, unknown>): AcknowledgedAnswer[] {
  return Object.entries(value).flatMap(([key, entered]) =>
    key.startsWith('q_') && typeof entered === 'string'
      ? [{ step: stamp.s, index: stamp.i, question: key.slice(2), value: entered }]
      : [],
  );
}

/** Whether stored answers hold an entered value as the engine stores it: trimmed, a number for a rating, null if empty. */
function holds(stored: Answers | undefined, answer: AcknowledgedAnswer): boolean {
  const value = stored?.[answer.question];
  const entered = answer.value.trim();
  return entered === '' ? value === null : value !== undefined && value !== null && String(value) === entered;
}

/**
 * The acknowledged answers the record does not hold, each the last one acknowledged for its step, index and
 * question. A question step's answers are stored under its id; a follow-up card's under the deck card it asks
 * about, which the rig does not know: one of them must hold all of that card's answers.
 */
export function missingAnswers(acknowledged: AcknowledgedAnswer[], record: InterviewRecord): AcknowledgedAnswer[] {
  const presses = new Map<string, Map<string, AcknowledgedAnswer>>();
  for (const answer of acknowledged) {
    const where = `${answer.step}#${answer.index}`;
    const press = presses.get(where) ?? new Map<string, AcknowledgedAnswer>();
    presses.set(where, press.set(answer.question, answer));
  }
  const followUps = Object.values(record.followUps).map((followUp) => followUp.answers);
  return [...presses.values()].flatMap((press) => {
    const answers = [...press.values()];
    const step = at(answers, 0, 'answer of a press').step;
    const candidates = step in record.answers ? [record.answers[step]] : followUps;
    const misses = candidates.map((stored) => answers.filter((answer) => !holds(stored, answer)));
    return misses.reduce((fewest, miss) => (miss.length < fewest.length ? miss : fewest), answers);
  });
}

/** Which schema a file of the embedded store must parse under, by where it lies; null for files that are not JSON records. */
function schemaFor(rel: string) {
  const parts = rel.split(path.sep);
  const name = at(parts, -1, 'path part');
  if (parts[0] === 'rounds' && parts[2] === 'interviews') return InterviewRecordSchema;
  if (parts[0] === 'participants') return ParticipantKeysSchema;
  if (parts[0] === 'outbox') return OutboxJobSchema;
  const byName: Record<string, { safeParse(v: unknown): { success: boolean } }> = {
    'counters.json': RoundCountersSchema,
    'round.json': RoundSchema,
    'digests.json': DigestLogSchema,
    'researchers.json': ResearchersSchema,
    'digest-channels.json': DigestChannelsSchema,
    'number-tokens.json': NumberTokensSchema,
  };
  return byName[name] ?? null;
}

/** Every file of an embedded store folder that does not parse under its schema, and any that is not known. */
export function corruptFiles(root: string): string[] {
  const bad: string[] = [];
  const parses = (rel: string, text: string) => {
    const schema = schemaFor(rel);
    try {
      return !!schema && schema.safeParse(JSON.parse(text)).success;
    } catch {
      return false;
    }
  };
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name === '.wijzer.lock' || entry.name === 'pseudonym-secret' || entry.name.endsWith('.tmp'))
        continue;
      else if (rel === '' && entry.name.endsWith('.wal')) bad.push(...corruptJournal(root, child, parses));
      else if (!parses(child, readFileSync(path.join(root, child), 'utf8'))) bad.push(child);
    }
  };
  walk('');
  return bad;
}

/** A journal may end in a torn record (an append cut short); every whole record must be a valid store file. */
function corruptJournal(root: string, rel: string, parses: (rel: string, text: string) => boolean): string[] {
  try {
    return decodeJournal(readFileSync(path.join(root, rel)))
      .records.filter((record) => record.text !== null && !parses(record.file, record.text))
      .map((record) => `${rel}: ${record.file}`);
  } catch (err) {
    return [`${rel}: ${(err as Error).message}`];
  }
}

export interface CrashScenario {
  root: string;
  connector: MockConnector;
  /** Bots, each with its own supervisor; the kills are split evenly over them. */
  groups: number;
  kills: number;
  /** Participants at the same time per bot. */
  parallel: number;
  seed: number;
  /** How long a bot lives after it became ready before it is killed. */
  upMs: [number, number];
  env: (group: number) => Record<string, string>;
}

/** Runs interviews through the crashes until every bot was killed its share of times; all runs finish after. */
export async function runCrashScenario(s: CrashScenario): Promise<{ runs: CrashRun[]; supervisors: Supervisor[] }> {
  const supervisors = await Promise.all(
    Array.from({ length: s.groups }, (_, g) => Supervisor.create(`bot-${g}`, s.root, s.env(g))),
  );
  const perGroup = Math.ceil(s.kills / s.groups);
  const runs: CrashRun[] = [];
  let participant = 0;
  await Promise.all(
    supervisors.map(async (sup, g) => {
      await sup.ready();
      const done = { value: false };
      const players = Array.from({ length: s.parallel }, async () => {
        while (sup.kills < perGroup) {
          const n = participant++;
          const identity: ParticipantIdentity = {
            userId: `29:crash-${s.seed}-${n}`,
            userName: `Deelnemer ${n}`,
            conversationId: `a:crash-chat-${s.seed}-${n}`,
            tenantId: 'crash-tenant',
            serviceUrl: s.connector.url,
            locale: 'nl-NL',
          };
          runs.push(
            await crashParticipant(
              identity,
              s.connector,
              async () => {
                await sup.ready();
                return sup.url;
              },
              s.seed * 1000 + n,
            ),
          );
        }
      });
      const killing = sup.crashLoop(perGroup, s.seed + g, () => !done.value, s.upMs);
      await killing;
      await Promise.all(players);
      done.value = true;
    }),
  );
  return { runs, supervisors };
}

/** What the participants were promised, checked against what the store holds; each problem is a line. */
export async function promisesBroken(
  runs: CrashRun[],
  stored: (identity: ParticipantIdentity) => Promise<unknown>,
): Promise<string[]> {
  const problems: string[] = [];
  for (const run of runs) {
    const who = run.identity.userName;
    if (!run.completed)
      problems.push(`${who}: did not reach the closing card in ${run.turns} turns; last: ${run.trail.join(' / ')}`);
    const record = await stored(run.identity);
    const parsed = InterviewRecordSchema.safeParse(record);
    if (!parsed.success) {
      problems.push(
        `${who}: no valid stored interview (${record === null ? 'none' : parsed.error.issues[0]?.message})`,
      );
      continue;
    }
    if (run.completed && !parsed.data.completedAt) problems.push(`${who}: completed, but the stored interview is not`);
    const lost = missingAnswers(run.acknowledged, parsed.data);
    if (lost.length)
      problems.push(`${who}: ${lost.length} acknowledged answers not stored: ${JSON.stringify(lost.slice(0, 3))}`);
    for (const r of run.resumes) {
      if (r.shownRev < r.seenRev)
        problems.push(
          `${who}: after a turn without acknowledgement the interview went back from rev ${r.seenRev} (${r.seenStep}) to rev ${r.shownRev} (${r.shownStep})`,
        );
    }
  }
  return problems;
}
