import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { readConfig } from '../../src/config/env.js';
import { Outbox } from '../../src/research/outbox/outbox.js';
import { slotSpacingMs, type RateGate } from '../../src/research/outbox/pacedGate.js';
import type { DeliveryResult, Messenger, OutboxJob, OutboxStore } from '../../src/ports/outbox.js';
import { openPostgresStores, type PostgresStores } from '../../src/storage/postgres/index.js';
import { createAdapter } from '../../src/teams/adapter.js';
import { TeamsMessenger } from '../../src/teams/teamsMessenger.js';
import { StepTimes } from './stepTimes.js';

/**
 * Instances that send invitations from one PostgreSQL outbox, for the two-instance fan-out of the bench
 * (fanout2.ts) and its test: each with its own openPostgresStores (its own pools, as a bot process has), the
 * production Outbox with the shared rate gate (as src/server.ts wires it) and TeamsMessenger on a local-mode
 * CloudAdapter.
 */

/** The one message of a job: it names the job's pseudonym, so that a message in the wrong chat shows. */
export const invitationText = (job: OutboxJob) => `Uitnodiging ${job.pseudonym}`;

/** `count` pending invitations of a round, to users of one tenant. */
export function invitationJobs(roundId: string, serviceUrl: string, tenantId: string, count: number): OutboxJob[] {
  const now = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => {
    const pseudonym = `p-${String(i + 1).padStart(5, '0')}`;
    const target = { channelId: 'msteams', serviceUrl, tenantId, userId: `29:${roundId}-user-${i + 1}` };
    const id = `invite:${roundId}:${pseudonym}`;
    const due = { status: 'pending', attempts: 0, notBefore: now, createdAt: now } as const;
    return { id, kind: 'invite', roundId, pseudonym, target, ...due };
  });
}

/** Counts the deliveries that were sent and when; `onSent` runs after each (where a test crashes a sender). */
export class CountingMessenger implements Messenger {
  sent = 0;
  firstAt: number | null = null;
  lastAt: number | null = null;
  readonly times: number[] = [];
  onSent?: () => Promise<void> | void;
  constructor(private readonly inner: Messenger) {}
  async deliver(job: OutboxJob): Promise<DeliveryResult> {
    const result = await this.inner.deliver(job);
    if (result.outcome === 'sent') {
      this.sent++;
      this.firstAt ??= performance.now();
      this.lastAt = performance.now();
      this.times.push(this.lastAt);
      await this.onSent?.();
    }
    return result;
  }
}

export interface Sender {
  name: string;
  stores: PostgresStores;
  outbox: Outbox;
  messenger: CountingMessenger;
  /** Errors botbuilder's onTurnError swallowed while sending. */
  turnErrors: number;
  /** Set when a test crashes this sender: its drain loop ends. */
  killed: boolean;
  drains: number;
  errors: string[];
  /** How long its outbox's claims, bookings (the shared gate), starts and finishes took. */
  times: StepTimes;
}

export interface SenderOptions {
  name: string;
  databases: { databaseUrl: string; keyDatabaseUrl: string };
  /** Where the instance's local-mode config points its data and key folders. */
  dir: string;
  /** The shared rate, invitations per second. */
  rate: number;
  /** The share of it left unused (default: the server's, DEFAULT_RATE_HEADROOM). */
  headroom?: number;
  claimLeaseMs: number;
}

export async function openSender(options: SenderOptions): Promise<Sender> {
  const { name, dir, rate } = options;
  const { databaseUrl, keyDatabaseUrl } = options.databases;
  const stores = await openPostgresStores({ databaseUrl, keyDatabaseUrl, claimLeaseMs: options.claimLeaseMs });
  const config = readConfig({ WIJZER_LOCAL: '1', DATA_DIR: join(dir, name, 'data'), KEY_DIR: join(dir, name, 'keys') });
  const adapter = createAdapter(config);
  const compose = async (job: OutboxJob) => [{ type: 'message', text: invitationText(job) }];
  const messenger = new CountingMessenger(new TeamsMessenger(adapter, '', compose, async () => undefined));
  const times = new StepTimes();
  const shared = stores.rateGate('teams-proactive', slotSpacingMs(rate, options.headroom));
  const gate: RateGate = {
    reserve: () => times.time('book', () => Promise.resolve(shared.reserve())),
    pause: (ms) => shared.pause(ms),
  };
  const outbox = new Outbox(timedStore(stores.outbox, times), messenger, { ratePerSec: rate, gate });
  const sender: Sender = {
    name,
    stores,
    outbox,
    messenger,
    turnErrors: 0,
    killed: false,
    drains: 0,
    errors: [],
    times,
  };
  const onTurnError = adapter.onTurnError;
  adapter.onTurnError = async (context, err) => {
    sender.turnErrors++;
    await onTurnError(context, err);
  };
  return sender;
}

/** The store's steps of a send, timed; every other call goes straight through. */
const TIMED_STEPS = new Set<string | symbol>(['due', 'claim', 'markStarted', 'finish']);

function timedStore(store: OutboxStore, times: StepTimes): OutboxStore {
  return new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if (typeof value !== 'function') return value;
      const call = (...args: unknown[]): unknown => Reflect.apply(value, target, args);
      return TIMED_STEPS.has(key) ? (...args: unknown[]) => times.time(String(key), async () => call(...args)) : call;
    },
  });
}

/** What one instance's scheduler does, back to back: settle dead claims, drain, until nothing is left. */
export async function drainUntilDone(sender: Sender, roundId: string, deadline: number): Promise<void> {
  while (!sender.killed && Date.now() < deadline) {
    try {
      await sender.stores.outbox.recover();
      await sender.outbox.drain();
      sender.drains++;
      const jobs = await sender.stores.outbox.list(roundId);
      const open = jobs.filter((j) => j.status === 'pending' || j.status === 'sending');
      if (!open.length) return;
      const next = Math.min(...open.map((j) => (j.status === 'pending' ? Date.parse(j.notBefore) : Date.now() + 250)));
      await sleep(Math.min(500, Math.max(20, next - Date.now())));
    } catch (err) {
      if (sender.killed) return;
      sender.errors.push((err as Error).message);
      await sleep(100);
    }
  }
}

/** Stops every sender's outbox and closes its stores (a crashed sender's pools may be gone already). */
export async function closeSenders(senders: Sender[]): Promise<void> {
  for (const s of senders) {
    await s.outbox.stop();
    await s.stores.close().catch(() => undefined);
  }
}
