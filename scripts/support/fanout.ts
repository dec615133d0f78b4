import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { readConfig } from '../../src/config/env.js';
import { Outbox } from '../../src/research/outbox/outbox.js';
import { MAX_ATTEMPTS } from '../../src/research/outbox/retryPolicy.js';
import type { DeliveryResult, Messenger, OutboxJob, OutboxStore } from '../../src/ports/outbox.js';
import { LowdbOutboxStore } from '../../src/storage/lowdb/outboxStore.js';
import { createAdapter } from '../../src/teams/adapter.js';
import { TeamsMessenger } from '../../src/teams/teamsMessenger.js';
import { MockConnector } from './mockConnector.js';
import { percentile } from './percentile.js';

/**
 * The researcher's invitation fan-out under a throttling Bot Connector, for the bench (phase d) and its test.
 *
 * The production pieces, wired as src/server.ts wires them: a CloudAdapter in local mode (createAdapter), a
 * TeamsMessenger that opens each 1:1 chat with createConversationAsync and then sends (compose returns one small
 * message instead of the invitation card), the durable LowdbOutboxStore in a temporary KEY_DIR, and the Outbox with
 * its token bucket. The mock connector (its own instance) answers 429 + Retry-After past `limitPerSec` requests
 * per second, all routes together; an invitation to a new participant costs two requests (create + send).
 *
 * Production drains the outbox when invitations are queued and then on the scheduler's tick
 * (SCHEDULER_INTERVAL_SEC, 60 s by default); here the outbox is drained again as soon as the earliest retry the
 * outbox scheduled is due, so the wall time shows the sending, not the tick. `outboxRetries` tells how many
 * sends waited for a later drain (each would wait up to a tick in production).
 *
 * Counted: 429s the mock answered vs 429s the outbox saw (botbuilder's HTTP pipeline, @azure/core-rest-pipeline's
 * throttlingRetryStrategy, retries a 429 with Retry-After up to 3 times before the error reaches the outbox);
 * losses (jobs not 'sent' at the end, or 'sent' while their user got no invitation at the mock), duplicates (a user
 * with more than one invitation), and other messages a user got (CloudAdapter hands an error thrown while sending
 * inside createConversationAsync to adapter.onTurnError, which sends its "try again" text; `turnErrors` counts those).
 */

export interface FanoutOptions {
  jobs: number;
  /** The Outbox's token bucket (OUTBOX_RATE_PER_SEC), invitations per second. */
  outboxRatePerSec: number;
  /** The mock connector's limit: accepted requests per sliding second, all routes together. */
  limitPerSec: number;
  /** The mock's Retry-After, in seconds (default 1); null sends none. */
  retryAfterSec?: number | null;
  /** Give up after this long (the report then shows the losses). Default 5 minutes. */
  timeoutMs?: number;
}

export interface StoreTiming {
  calls: number;
  totalMs: number;
  maxMs: number;
}

export interface FanoutReport {
  jobs: number;
  outboxRatePerSec: number;
  limitPerSec: number;
  /** Enqueueing the jobs (one file each). */
  enqueueMs: number;
  /** From enqueueing the first job to the end of the last drain. */
  wallMs: number;
  /** From the first drain to the last successful send. */
  sendMs: number;
  /** Invitations delivered (job 'sent' and the message at the mock) per second over sendMs. */
  ratePerSec: number;
  /** Requests the mock accepted per second over sendMs (create + send), to compare with limitPerSec. */
  acceptedRequestsPerSec: number;
  /** Requests the mock accepted, by route. */
  accepted: Record<string, number>;
  /** 429s the mock answered, in all and by route. */
  throttled: number;
  throttledByRoute: Record<string, number>;
  /** Deliveries that reached the outbox as 429 (after the HTTP pipeline's own retries). */
  outbox429s: number;
  /** Deliveries the outbox scheduled again (any 'retry' outcome). */
  outboxRetries: number;
  /** Deliveries by outcome, as the Outbox saw them. */
  outcomes: Record<string, number>;
  /** Jobs by final status. */
  statuses: Record<string, number>;
  /** Jobs not 'sent' at the end, plus 'sent' jobs whose user got no invitation. */
  lost: number;
  /** Of those: jobs the outbox marked 'sent' although their user got no invitation (a failure reported as success). */
  sentButMissing: number;
  /** Users who got more than one invitation. */
  duplicates: number;
  /** Messages users got that are not their invitation (the adapter's "try again" after a turn error). */
  strays: number;
  /** Errors CloudAdapter handed to adapter.onTurnError during deliveries (swallowed: the delivery looked sent). */
  turnErrors: number;
  /** Messages the mock recorded for a conversation that createConversation had not opened for that user. */
  misdelivered: number;
  /** How many times the outbox was drained. */
  drains: number;
  /** Time spent in the store, by method. */
  store: Record<string, StoreTiming>;
  /** A single delivery's duration (createConversation + send, pipeline retries included), ms. */
  deliverP50Ms: number;
  deliverP99Ms: number;
  deliverMaxMs: number;
  /** TCP connections the adapter opened to the mock. */
  connections: number;
  /** Examples of what went wrong, for the report. */
  problems: string[];
}

const ROUND = 'bench-fanout';
const TENANT = 'bench-tenant';

/** The store underneath, with every method timed (a Proxy, so that it follows the OutboxStore interface as it grows). */
function timed(inner: OutboxStore): { store: OutboxStore; timing: Record<string, StoreTiming> } {
  const timing: Record<string, StoreTiming> = {};
  const store = new Proxy(inner, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || typeof name !== 'string') return value;
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          const ms = performance.now() - started;
          const t = (timing[name] ??= { calls: 0, totalMs: 0, maxMs: 0 });
          t.calls++;
          t.totalMs += ms;
          t.maxMs = Math.max(t.maxMs, ms);
        }
      };
    },
  });
  return { store, timing };
}

/** Counts what the Outbox sees of each delivery. */
class CountingMessenger implements Messenger {
  readonly outcomes: Record<string, number> = {};
  readonly durations: number[] = [];
  outbox429s = 0;
  firstSentAt: number | null = null;
  lastSentAt: number | null = null;

  constructor(private readonly inner: Messenger) {}

  async deliver(job: OutboxJob): Promise<DeliveryResult> {
    const started = performance.now();
    const result = await this.inner.deliver(job);
    const ended = performance.now();
    this.durations.push(ended - started);
    this.outcomes[result.outcome] = (this.outcomes[result.outcome] ?? 0) + 1;
    if (result.outcome === 'retry' && result.error.startsWith('429')) this.outbox429s++;
    if (result.outcome === 'sent') {
      this.firstSentAt ??= ended;
      this.lastSentAt = ended;
    }
    return result;
  }
}

/** The one message of a job (compose): it names the job's pseudonym, so that a message in the wrong chat shows. */
function invitationText(job: OutboxJob): string {
  return `Uitnodiging ${job.pseudonym}`;
}

export function fanoutJobs(count: number, serviceUrl: string, now = new Date()): OutboxJob[] {
  return Array.from({ length: count }, (_, i) => {
    const pseudonym = `p-${String(i + 1).padStart(5, '0')}`;
    return {
      id: `invite:${ROUND}:${pseudonym}`,
      kind: 'invite' as const,
      roundId: ROUND,
      pseudonym,
      target: { channelId: 'msteams', serviceUrl, tenantId: TENANT, userId: `29:user-${i + 1}` },
      status: 'pending' as const,
      attempts: 0,
      notBefore: now.toISOString(),
      createdAt: now.toISOString(),
    };
  });
}

/** Runs one fan-out from an empty outbox to the last job's end; never throws for losses or duplicates (it counts them). */
export async function runFanout(options: FanoutOptions): Promise<FanoutReport> {
  const dir = mkdtempSync(join(tmpdir(), 'wijzer-fanout-'));
  const connector = await MockConnector.start({
    rateLimit: { perSec: options.limitPerSec, retryAfterSec: options.retryAfterSec },
  });
  const previousQuiet = process.env.WIJZER_QUIET;
  process.env.WIJZER_QUIET = '1';
  try {
    const adapter = createAdapter(
      readConfig({ WIJZER_LOCAL: '1', DATA_DIR: join(dir, 'data'), KEY_DIR: join(dir, 'keys') }),
    );
    let turnErrors = 0;
    const onTurnError = adapter.onTurnError;
    adapter.onTurnError = async (context, err) => {
      turnErrors++;
      await onTurnError(context, err);
    };
    const teams = new TeamsMessenger(
      adapter,
      '',
      async (job) => [{ type: 'message', text: invitationText(job) }],
      async () => undefined,
    );
    const messenger = new CountingMessenger(teams);
    const { store, timing } = timed(new LowdbOutboxStore(join(dir, 'keys')));
    const outbox = new Outbox(store, messenger, { ratePerSec: options.outboxRatePerSec });
    const jobs = fanoutJobs(options.jobs, connector.url);

    const enqueueStarted = performance.now();
    const added = await outbox.enqueue(jobs);
    const enqueueMs = performance.now() - enqueueStarted;
    if (added !== jobs.length) throw new Error(`the outbox took ${added} of ${jobs.length} new jobs`);

    const started = performance.now();
    const deadline = started + (options.timeoutMs ?? 5 * 60_000);
    let drains = 0;
    let retries = 0;
    for (;;) {
      const report = await outbox.drain();
      drains++;
      retries += report.retried;
      const pending = (await store.list(ROUND)).filter((j) => j.status === 'pending' || j.status === 'sending');
      if (!pending.length || performance.now() > deadline) break;
      // Drain again when the earliest scheduled retry is due.
      const next = Math.min(...pending.map((j) => Date.parse(j.notBefore)));
      await sleep(Math.min(Math.max(10, next - Date.now()), Math.max(0, deadline - performance.now())));
    }

    const wallMs = performance.now() - enqueueStarted;

    // The outcome: every job sent, every user exactly one message, in the chat opened for them.
    const final = await store.list(ROUND);
    const statuses: Record<string, number> = {};
    for (const job of final) statuses[job.status] = (statuses[job.status] ?? 0) + 1;
    const problems: string[] = [];
    const byUser = new Map<string, string[]>();
    let misdelivered = 0;
    for (const conversationId of connector.conversationIds()) {
      const member = connector.memberOf(conversationId);
      const texts = connector
        .activities(conversationId)
        .map((a) => (typeof a.activity.text === 'string' ? a.activity.text : ''));
      if (!member) {
        misdelivered += texts.length;
        problems.push(`${texts.length} messages to ${conversationId}, a conversation createConversation never opened`);
        continue;
      }
      byUser.set(member, [...(byUser.get(member) ?? []), ...texts]);
    }
    let lost = 0;
    let sentButMissing = 0;
    let duplicates = 0;
    let strays = 0;
    const byId = new Map(final.map((j) => [j.id, j]));
    for (const job of jobs) {
      const stored = byId.get(job.id);
      const texts = byUser.get(job.target.userId) ?? [];
      const invitations = texts.filter((t) => t === invitationText(job)).length;
      const others = texts.length - invitations;
      strays += others;
      const say = (problem: string) => problems.length < 10 && problems.push(`${job.target.userId}: ${problem}`);
      if (stored?.status !== 'sent' || invitations === 0) {
        lost++;
        if (stored?.status === 'sent') sentButMissing++;
        say(
          `job ${stored?.status ?? 'missing'} after ${stored?.attempts ?? 0} attempts (max ${MAX_ATTEMPTS}), ${invitations} invitations${others ? ` and ${others} other messages (${JSON.stringify(texts.find((t) => t !== invitationText(job))?.slice(0, 80))})` : ''}${stored?.lastError ? `; last error ${stored.lastError}` : ''}`,
        );
      } else if (others) {
        say(`${others} other messages besides the invitation`);
      }
      if (invitations > 1) {
        duplicates++;
        say(`${invitations} invitations`);
      }
    }
    if (final.length !== jobs.length) problems.push(`${final.length} jobs in the store, expected ${jobs.length}`);
    if (connector.stats.unexpected.length)
      problems.push(`unexpected requests at the mock: ${JSON.stringify(connector.stats.unexpected.slice(0, 3))}`);

    // Delivered: marked 'sent' and the invitation arrived.
    const sent = jobs.length - lost;
    const sendMs = (messenger.lastSentAt ?? performance.now()) - started;
    const acceptedRequests = Object.values(connector.stats.byRoute).reduce((a, b) => a + b, 0);
    const durations = [...messenger.durations].sort((a, b) => a - b);
    return {
      jobs: jobs.length,
      outboxRatePerSec: options.outboxRatePerSec,
      limitPerSec: options.limitPerSec,
      enqueueMs,
      wallMs,
      sendMs,
      ratePerSec: sent / (sendMs / 1000),
      acceptedRequestsPerSec: acceptedRequests / (sendMs / 1000),
      accepted: { ...connector.stats.byRoute },
      throttled: connector.stats.throttled,
      throttledByRoute: { ...connector.stats.throttledByRoute },
      outbox429s: messenger.outbox429s,
      outboxRetries: retries,
      outcomes: { ...messenger.outcomes },
      statuses,
      lost,
      sentButMissing,
      duplicates,
      strays,
      turnErrors,
      misdelivered,
      drains,
      store: timing,
      deliverP50Ms: percentile(durations, 50),
      deliverP99Ms: percentile(durations, 99),
      deliverMaxMs: durations[durations.length - 1] ?? NaN,
      connections: connector.stats.connections,
      problems,
    };
  } finally {
    if (previousQuiet === undefined) delete process.env.WIJZER_QUIET;
    else process.env.WIJZER_QUIET = previousQuiet;
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
