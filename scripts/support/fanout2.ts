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
import type { BenchDatabases } from './pgDatabases.js';

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
  turnErrors: number;
  problems: string[];
}

const TENANT = 'bench-fanout2-tenant';

export async function runFanout2(options: Fanout2Options): Promise<Fanout2Report> {
  const rate = options.limitPerSec / 2;
  const roundId = 'bench-fanout2';
  const dir = mkdtempSync(join(tmpdir(), 'wijzer-bench-fanout2-'));
  const connector = await MockConnector.start({ rateLimit: { perSec: options.limitPerSec, retryAfterSec: 1 } });
  const senders: Sender[] = [];
  try {
    // Burst 1, as src/server.ts has it: a full bucket at the start would offer twice the rate in the first second.
    const open = (name: string) =>
      openSender({ name, databases: options.databases, dir, rate, burst: 1, claimLeaseMs: 5000 });
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
      turnErrors: senders.reduce((n, s) => n + s.turnErrors, 0),
      problems: [...problems, ...senders.flatMap((s) => s.errors.slice(0, 3).map((e) => `${s.name}: ${e}`))],
    };
  } finally {
    await closeSenders(senders);
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
