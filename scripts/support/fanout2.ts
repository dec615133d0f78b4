import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { tallyDeliveries } from './deliveryTally.js';
import { MockConnector } from './mockConnector.js';
import {
  closeSenders,
  drainUntilDone,
  invitationJobs,
  invitationText,
  openSender,
  type Sender,
} from './outboxSenders.js';
import { percentile } from './percentile.js';
import type { BenchDatabases } from './pgDatabases.js';
import { StepTimes } from './stepTimes.js';

/**
 * The invitation fan-out drained by two instances at once, for the bench; the same set-up as
 * test/scale/fanoutTwoInstances.test.ts ("both senders to the end"): two openPostgresStores (two instances' pools),
 * each with the production Outbox, PgOutboxStore, the shared rate gate (stores.rateGate, as src/server.ts wires it)
 * and TeamsMessenger on a local-mode CloudAdapter, against the mock Bot Connector answering 429 + Retry-After: 1 past
 * `limitPerSec` requests per second. The outboxes' shared rate is the limit in invitations (limit / 2: create + send).
 */

export interface Fanout2Options {
  databases: BenchDatabases;
  jobs: number;
  /** The mock's limit, requests per sliding second. */
  limitPerSec: number;
  timeoutMs?: number;
}

export interface Fanout2Report {
  jobs: number;
  limitPerSec: number;
  /** The shared outbox rate, invitations per second (= limitPerSec / 2). */
  ratePerSecLimit: number;
  statuses: Record<string, number>;
  delivered: number;
  lost: number;
  duplicates: number;
  strays: number;
  throttled: number;
  wallMs: number;
  sendMs: number;
  ratePerSec: number;
  /** ratePerSec over the shared rate. */
  rateRatio: number;
  bySender: Record<string, number>;
  /** Milliseconds per call of the outboxes' steps: claim, book (the shared gate), markStarted, finish, due. */
  steps: ReturnType<typeof StepTimes.summary>;
  /** The time between one accepted invitation and the next, of both instances together. */
  gapsMs: { p5: number; p50: number; p95: number; max: number };
  turnErrors: number;
  problems: string[];
}

const TENANT = 'bench-fanout2-tenant';

function gaps(times: number[]): Fanout2Report['gapsMs'] {
  const sorted = [...times].sort((a, b) => a - b);
  const between = sorted
    .slice(1)
    .map((t, i) => t - (sorted[i] ?? t))
    .sort((a, b) => a - b);
  const at = (p: number) => percentile(between, p);
  return { p5: at(5), p50: at(50), p95: at(95), max: between[between.length - 1] ?? NaN };
}

export async function runFanout2(options: Fanout2Options): Promise<Fanout2Report> {
  const rate = options.limitPerSec / 2;
  const roundId = 'bench-fanout2';
  const dir = mkdtempSync(join(tmpdir(), 'wijzer-bench-fanout2-'));
  const connector = await MockConnector.start({ rateLimit: { perSec: options.limitPerSec, retryAfterSec: 1 } });
  const senders: Sender[] = [];
  try {
    const open = (name: string) => openSender({ name, databases: options.databases, dir, rate, claimLeaseMs: 5000 });
    // One at a time, so that A is closed below even when B fails to open.
    const a = await open('A');
    senders.push(a);
    const b = await open('B');
    senders.push(b);
    const jobs = invitationJobs(roundId, connector.url, TENANT, options.jobs);
    const problems: string[] = [];
    if ((await a.outbox.enqueue(jobs)) !== jobs.length) problems.push('enqueue did not add every job');
    if ((await b.outbox.enqueue(jobs)) !== 0) problems.push('enqueueing again from the other instance added jobs');
    const started = performance.now();
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    await Promise.all([drainUntilDone(a, roundId, deadline), drainUntilDone(b, roundId, deadline)]);
    const wallMs = performance.now() - started;

    const final = await a.stores.outbox.list(roundId);
    // Here a job left 'uncertain' counts as lost: no sender is killed in the bench.
    const tally = tallyDeliveries(connector, jobs, final, invitationText);
    problems.push(...tally.problems);
    const { statuses, delivered, duplicates, strays } = tally;
    const lost = tally.lost + tally.uncertain;
    const firsts = senders.map((s) => s.messenger.firstAt).filter((x): x is number => x !== null);
    const lasts = senders.map((s) => s.messenger.lastAt).filter((x): x is number => x !== null);
    const sendMs = firsts.length ? Math.max(...lasts) - Math.min(...firsts) : NaN;
    const ratePerSec = (delivered - 1) / (sendMs / 1000);
    return {
      jobs: jobs.length,
      limitPerSec: options.limitPerSec,
      ratePerSecLimit: rate,
      statuses,
      delivered,
      lost,
      duplicates,
      strays,
      throttled: connector.stats.throttled,
      wallMs,
      sendMs,
      ratePerSec,
      rateRatio: ratePerSec / rate,
      bySender: Object.fromEntries(senders.map((s) => [s.name, s.messenger.sent])),
      steps: StepTimes.summary(senders.map((s) => s.times)),
      gapsMs: gaps(senders.flatMap((s) => s.messenger.times)),
      turnErrors: senders.reduce((n, s) => n + s.turnErrors, 0),
      problems: [...problems, ...senders.flatMap((s) => s.errors.slice(0, 3).map((e) => `${s.name}: ${e}`))],
    };
  } finally {
    await closeSenders(senders);
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
