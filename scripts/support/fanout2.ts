import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readConfig } from '../../src/config/env.js';
import { Outbox } from '../../src/research/outbox/outbox.js';
import type { DeliveryResult, Messenger, OutboxJob } from '../../src/ports/outbox.js';
import { openPostgresStores, type PostgresStores } from '../../src/storage/postgres/index.js';
import { createAdapter } from '../../src/teams/adapter.js';
import { TeamsMessenger } from '../../src/teams/teamsMessenger.js';
import { MockConnector } from './mockConnector.js';
import type { BenchDatabases } from './pgDatabases.js';
import { tallyDeliveries } from './deliveryTally.js';

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
const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
const text = (job: OutboxJob) => `Uitnodiging ${job.pseudonym}`;

class CountingMessenger implements Messenger {
  sent = 0;
  firstAt: number | null = null;
  lastAt: number | null = null;
  constructor(private readonly inner: Messenger) {}
  async deliver(job: OutboxJob): Promise<DeliveryResult> {
    const result = await this.inner.deliver(job);
    if (result.outcome === 'sent') {
      this.sent++;
      this.firstAt ??= performance.now();
      this.lastAt = performance.now();
    }
    return result;
  }
}

interface Sender {
  name: string;
  stores: PostgresStores;
  outbox: Outbox;
  messenger: CountingMessenger;
  turnErrors: number;
  errors: string[];
}

async function openSender(name: string, databases: BenchDatabases, dir: string, rate: number): Promise<Sender> {
  const stores = await openPostgresStores({ databaseUrl: databases.databaseUrl, keyDatabaseUrl: databases.keyDatabaseUrl, claimLeaseMs: 5000 });
  const adapter = createAdapter(readConfig({ WIJZER_LOCAL: '1', DATA_DIR: join(dir, name, 'data'), KEY_DIR: join(dir, name, 'keys') }));
  const sender = { name, stores, turnErrors: 0, errors: [] as string[] } as Sender;
  const onTurnError = adapter.onTurnError;
  adapter.onTurnError = async (context, err) => {
    sender.turnErrors++;
    await onTurnError(context, err);
  };
  sender.messenger = new CountingMessenger(new TeamsMessenger(adapter, '', async (job) => [{ type: 'message', text: text(job) }], async () => undefined));
  sender.outbox = new Outbox(stores.outbox, sender.messenger, { ratePerSec: rate, gate: stores.rateGate('teams-proactive', rate, rate) });
  return sender;
}

/** One instance's scheduler, back to back: settle dead claims, drain, until nothing is left. */
async function drainAll(sender: Sender, roundId: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      await sender.stores.outbox.recover();
      await sender.outbox.drain();
      const open = (await sender.stores.outbox.list(roundId)).filter((j) => j.status === 'pending' || j.status === 'sending');
      if (!open.length) return;
      const next = Math.min(...open.map((j) => (j.status === 'pending' ? Date.parse(j.notBefore) : Date.now() + 250)));
      await sleep(Math.min(500, Math.max(20, next - Date.now())));
    } catch (err) {
      sender.errors.push((err as Error).message);
      await sleep(100);
    }
  }
}

export async function runFanout2(options: Fanout2Options): Promise<Fanout2Report> {
  const rate = options.limitPerSec / 2;
  const roundId = 'bench-fanout2';
  const dir = mkdtempSync(join(tmpdir(), 'wijzer-bench-fanout2-'));
  const connector = await MockConnector.start({ rateLimit: { perSec: options.limitPerSec, retryAfterSec: 1 } });
  const senders: Sender[] = [];
  try {
    senders.push(await openSender('A', options.databases, dir, rate), await openSender('B', options.databases, dir, rate));
    const [a, b] = senders;
    const now = new Date().toISOString();
    const jobs: OutboxJob[] = Array.from({ length: options.jobs }, (_, i) => {
      const pseudonym = `p-${String(i + 1).padStart(5, '0')}`;
      return {
        id: `invite:${roundId}:${pseudonym}`, kind: 'invite' as const, roundId, pseudonym,
        target: { channelId: 'msteams', serviceUrl: connector.url, tenantId: TENANT, userId: `29:${roundId}-user-${i + 1}` },
        status: 'pending' as const, attempts: 0, notBefore: now, createdAt: now,
      };
    });
    const problems: string[] = [];
    if ((await a.outbox.enqueue(jobs)) !== jobs.length) problems.push('enqueue did not add every job');
    if ((await b.outbox.enqueue(jobs)) !== 0) problems.push('enqueueing again from the other instance added jobs');
    const started = performance.now();
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    await Promise.all([drainAll(a, roundId, deadline), drainAll(b, roundId, deadline)]);
    const wallMs = performance.now() - started;

    const final = await a.stores.outbox.list(roundId);
    // Here a job left 'uncertain' counts as lost: no sender is killed in the bench.
    const tally = tallyDeliveries(connector, jobs, final, text);
    problems.push(...tally.problems);
    const { statuses, delivered, duplicates, strays } = tally;
    const lost = tally.lost + tally.uncertain;
    const firsts = senders.map((s) => s.messenger.firstAt).filter((x): x is number => x !== null);
    const lasts = senders.map((s) => s.messenger.lastAt).filter((x): x is number => x !== null);
    const sendMs = firsts.length ? Math.max(...lasts) - Math.min(...firsts) : NaN;
    const ratePerSec = (delivered - 1) / (sendMs / 1000);
    return {
      jobs: jobs.length, limitPerSec: options.limitPerSec, ratePerSecLimit: rate, statuses, delivered, lost, duplicates, strays,
      throttled: connector.stats.throttled, wallMs, sendMs, ratePerSec, rateRatio: ratePerSec / rate,
      bySender: Object.fromEntries(senders.map((s) => [s.name, s.messenger.sent])),
      turnErrors: senders.reduce((n, s) => n + s.turnErrors, 0),
      problems: [...problems, ...senders.flatMap((s) => s.errors.slice(0, 3).map((e) => `${s.name}: ${e}`))],
    };
  } finally {
    for (const s of senders) {
      await s.outbox.stop();
      await s.stores.close().catch(() => undefined);
    }
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
