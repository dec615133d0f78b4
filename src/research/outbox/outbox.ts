import { log } from '../../log.js';
import { RateLimiter, type RateGate } from './rateLimiter.js';
import { afterDelivery } from './retryPolicy.js';
import type { Messenger, OutboxJob, OutboxStore } from '../../ports/outbox.js';
import { defined } from '../../defined.js';

/** Enough to fill a rate of tens a second while some sends wait out a 429's Retry-After of a second or two. */
export const MAX_IN_FLIGHT = 64;

/** Jobs claimed and booked before their turn to be sent: enough that store writes and bookings never hold up the rate. */
const CLAIMS_AHEAD = 16;
/** The due jobs are claimed and booked by index, below their count. */
const DUE_JOB = 'due job';

/** How often, and from which pause on (doubling), the outcome of a delivery is retried before recovery takes over. */
const BOOKKEEPING_ATTEMPTS = 5;
const BOOKKEEPING_RETRY_MS = 200;

export interface OutboxOptions {
  ratePerSec: number;
  burst?: number;
  /** A rate shared with other instances; by default a token bucket in this process. */
  gate?: RateGate;
  clock?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Sends under way at once (default MAX_IN_FLIGHT): each waits for its token, not for the answer to the one before. */
  maxInFlight?: number;
}

export interface DrainReport {
  sent: number;
  retried: number;
  failed: number;
  unreachable: number;
}

/**
 * Sends the queued proactive messages, throttled, retrying what may be retried. Every job is claimed before it
 * is sent and finished after, so a crash never sends a job twice; see OutboxStore.recover.
 */
export class Outbox {
  private readonly limiter: RateGate;
  private readonly clock: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly maxInFlight: number;
  private running: Promise<DrainReport> | null = null;
  private stopped = false;

  constructor(
    private readonly store: OutboxStore,
    private readonly messenger: Messenger,
    options: OutboxOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.maxInFlight = options.maxInFlight ?? MAX_IN_FLIGHT;
    this.limiter =
      options.gate ??
      new RateLimiter(options.ratePerSec, options.burst ?? Math.max(1, Math.floor(options.ratePerSec)), () =>
        this.clock().getTime(),
      );
  }

  enqueue(jobs: OutboxJob[]): Promise<number> {
    return this.store.enqueue(jobs);
  }

  /** Sends everything due now; one drain at a time per process. */
  drain(): Promise<DrainReport> {
    if (this.stopped) return Promise.resolve({ sent: 0, retried: 0, failed: 0, unreachable: 0 });
    this.running ??= this.drainOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * Starts a drain in the background (after an invitation, a reminder or a digest was queued). A failure is
   * logged, never left unhandled: what was not sent stays queued for the scheduler's next tick.
   */
  kick(): void {
    this.drain().catch((err: unknown) => log.error('outbox.drain.failed', err));
  }

  /** For shutdown: finish the messages being sent, take no further job (the rest stays queued for the next start). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => undefined);
  }

  /**
   * Sends are pipelined: jobs are claimed and their tokens booked a few ahead, then each is marked started at its
   * token's time and sent while the next job waits for its own, so that the rate is filled however long the store
   * or the shared rate gate take to answer, or Teams (or a 429 to pass). The crash rules are those of one job at a time: a job is
   * claimed before it waits for its token, started before it is sent, and finished after.
   */
  private async drainOnce(): Promise<DrainReport> {
    const report: DrainReport = { sent: 0, retried: 0, failed: 0, unreachable: 0 };
    const inFlight = new Set<Promise<void>>();
    let failure: { err: unknown } | null = null;
    try {
      await this.pump(
        (job) => {
          const sending: Promise<void> = this.send(job, report)
            .catch((err: unknown) => {
              failure ??= { err };
            })
            .finally(() => inFlight.delete(sending));
          inFlight.add(sending);
          return inFlight.size >= this.maxInFlight ? Promise.race(inFlight) : undefined;
        },
        () => failure !== null,
        inFlight,
      );
    } finally {
      await Promise.all(inFlight);
    }
    if (failure) throw (failure as { err: unknown }).err;
    return report;
  }

  private async pump(
    start: (job: OutboxJob) => Promise<void> | undefined,
    failed: () => boolean,
    inFlight: Set<Promise<void>>,
  ): Promise<void> {
    for (;;) {
      const due = this.stopped || failed() ? [] : await this.store.due(this.clock(), 50);
      if (!due.length) return;
      // Jobs are claimed and their tokens booked ahead of the send loop (a claim is a store write, a booking may be
      // a database transaction: either may take longer than a token's interval), as many as there is room for
      // beside the sends in flight. Claiming first lets several instances share the jobs instead of racing for the
      // same one; tokens are booked one after the other, in the jobs' order, so the sends keep their spacing.
      const booked: Promise<number | null>[] = [];
      let previous: Promise<unknown> = Promise.resolve();
      const bookAhead = (from: number) => {
        // At least the job whose turn it is (start() has made room for it among the sends in flight).
        const room = Math.max(1, Math.min(CLAIMS_AHEAD, this.maxInFlight - inFlight.size));
        while (booked.length < due.length && booked.length - from < room) {
          const booking = this.book(defined(due[booked.length], DUE_JOB), previous);
          previous = booking.catch(() => undefined);
          booked.push(booking);
        }
      };
      // A batch of which nothing could be claimed (others have it) ends the drain rather than asking again at once.
      let claimedAny = false;
      let index = 0;
      try {
        for (; index < due.length; index++) {
          if (this.stopped || failed()) return;
          bookAhead(index);
          const sendAt = await defined(booked[index], 'booking of the job whose turn it is');
          if (sendAt === null) continue;
          claimedAny = true;
          const job = defined(due[index], DUE_JOB);
          try {
            const wait = sendAt - this.clock().getTime();
            if (wait > 0) await this.sleep(wait);
            await this.store.markStarted(job.id, this.clock());
          } catch (err) {
            // Not started: recovery puts it back to pending.
            this.store.release?.(job.id);
            throw err;
          }
          await start(job);
        }
      } finally {
        // Jobs claimed ahead but not started when the drain ends: recovery puts them back to pending.
        for (const [ahead, booking] of booked.entries()) {
          if (ahead >= index)
            void booking.then(
              (at) => at !== null && this.store.release?.(defined(due[ahead], DUE_JOB).id),
              () => undefined,
            );
        }
      }
      if (!claimedAny) return;
    }
  }

  /**
   * Claims the job, then (after the booking before it) books its token: the time it may be sent, by this.clock;
   * null when another sender claimed it first. A failure lets recovery settle the job, as pending: not started.
   */
  private book(job: OutboxJob, previous: Promise<unknown>): Promise<number | null> {
    const claimed = this.store.claim(job.id, this.clock());
    const booking = Promise.all([claimed, previous])
      .then(async ([isMine]) => {
        if (!isMine) return null;
        const bookedAt = this.clock().getTime();
        return bookedAt + (await this.limiter.reserve());
      })
      .catch((err: unknown) => {
        // Maybe claimed (the answer was lost), not started.
        this.store.release?.(job.id);
        throw err;
      });
    // Bookings made ahead may fail before they are waited for: never unhandled.
    booking.catch(() => undefined);
    return booking;
  }

  private async send(job: OutboxJob, report: DrainReport): Promise<void> {
    let result;
    try {
      result = await this.messenger.deliver(job);
    } catch (err) {
      result = { outcome: 'retry' as const, error: err instanceof Error ? err.message : String(err) };
    }
    const change = afterDelivery(job, result, this.clock(), this.random);
    const delivered = result.outcome === 'sent' ? result : null;
    await this.record(
      job,
      change,
      delivered ? () => this.messenger.recordDelivery?.(job, delivered.conversationId) : undefined,
    );
    if (change.status === 'sent') report.sent++;
    else if (change.status === 'pending') report.retried++;
    else if (change.status === 'unreachable') report.unreachable++;
    else report.failed++;
    if (change.status !== 'sent')
      log.info('outbox.job', { kind: job.kind, status: change.status ?? 'pending', attempts: change.attempts ?? 0 });
  }

  /**
   * Records a delivery's outcome, retrying a store that fails for a moment: a message that went out must not be
   * sent again because its bookkeeping failed. If the store stays down the job is left to recovery, which makes
   * a started send "uncertain", never "pending".
   */
  private async record(
    job: OutboxJob,
    change: Partial<OutboxJob>,
    afterSent?: () => Promise<void> | undefined,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await afterSent?.();
        afterSent = undefined;
        await this.store.finish(job.id, change);
        return;
      } catch (err) {
        log.error('outbox.bookkeeping.failed', err);
        if (attempt >= BOOKKEEPING_ATTEMPTS) {
          this.store.release?.(job.id);
          throw err;
        }
        await this.sleep(BOOKKEEPING_RETRY_MS * 2 ** (attempt - 1));
      }
    }
  }
}
