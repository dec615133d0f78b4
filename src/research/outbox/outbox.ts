import { log } from '../../log.js';
import { DEFAULT_RATE_HEADROOM } from '../../config/outbox.js';
import { PacedGate, slotSpacingMs, type RateGate } from './pacedGate.js';
import { afterDelivery } from './retryPolicy.js';
import type { Messenger, OutboxJob, OutboxStore } from '../../ports/outbox.js';
import { defined } from '../../defined.js';

/** Enough to fill a rate of tens a second while some sends wait out a 429's Retry-After of a second or two. */
export const MAX_IN_FLIGHT = 64;

/** Jobs claimed and booked before their turn to be sent: enough that store writes and bookings never hold up the rate. */
const CLAIMS_AHEAD = 16;
/** Due jobs asked for at once. */
const DUE_BATCH = 50;
/** The due jobs are claimed and booked by index, below their count. */
const DUE_JOB = 'due job';

/** How often, and from which pause on (doubling), the outcome of a delivery is retried before recovery takes over. */
const BOOKKEEPING_ATTEMPTS = 5;
const BOOKKEEPING_RETRY_MS = 200;

/** The longest a Retry-After holds every send back: a bogus one of days would otherwise stop the fan-out. */
const MAX_PAUSE_MS = 5 * 60_000;

/** How long a send waiting for its slot sleeps before it looks again (for a pause, or a stop). */
const WAIT_STEP_MS = 250;

/** The shortest window over which Teams counts requests: no window this long holds more of one sender's than the rate. */
const WINDOW_MS = 1000;

/** A booked send: when it may go, by this.clock, and the gate's pauses (in all) it was booked after. */
interface Booking {
  at: number;
  pausedMs: number;
}

export interface OutboxOptions {
  ratePerSec: number;
  /** The share of the rate left unused for network jitter (default: OUTBOX_RATE_HEADROOM's, DEFAULT_RATE_HEADROOM). */
  headroom?: number;
  /** A rate shared with other instances; by default a PacedGate in this process. */
  gate?: RateGate;
  clock?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Sends under way at once (default MAX_IN_FLIGHT): each waits for its slot, not for the answer to the one before. */
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
  /** The gate's pauses, in all, as last heard from it: a booking made before one grew it is moved by the growth. */
  private pausedMs = 0;
  /** When the last sends went out (after they were marked started), oldest first: at most perWindow of them. */
  private readonly starts: number[] = [];
  /** The most sends any window of WINDOW_MS may hold: the rate's, however the slots were spaced or went late. */
  private readonly perWindow: number;
  /**
   * How late after its slot a send may go without moving the others: half of what the headroom leaves in a window,
   * so that a timer a millisecond late does not slow the fan-out, and a send late by less never crowds a window.
   */
  private readonly lateAfterMs: number;

  constructor(
    private readonly store: OutboxStore,
    private readonly messenger: Messenger,
    options: OutboxOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.maxInFlight = options.maxInFlight ?? MAX_IN_FLIGHT;
    this.perWindow = Math.max(1, Math.floor((options.ratePerSec * WINDOW_MS) / 1000));
    const headroom = options.headroom ?? DEFAULT_RATE_HEADROOM;
    this.lateAfterMs = (WINDOW_MS * headroom) / (1 - headroom) / 2;
    this.limiter =
      options.gate ?? new PacedGate(slotSpacingMs(options.ratePerSec, options.headroom), () => this.clock().getTime());
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
   * Sends are pipelined: jobs are claimed and their slots booked a few ahead, then each is marked started at its
   * slot's time and sent while the next job waits for its own, so that the rate is filled however long the store
   * or the shared rate gate take to answer, or Teams (or a 429 to pass). The crash rules are those of one job at a time: a job is
   * claimed before it waits for its slot, started before it is sent, and finished after.
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
    let next: Promise<OutboxJob[]> | null = null;
    for (;;) {
      const asked = this.stopped || failed() ? [] : await (next ?? this.store.due(this.clock(), DUE_BATCH));
      // Asked for early, none were due yet: a retry may have come due since (a short Retry-After).
      const due =
        next && !asked.length && !this.stopped && !failed() ? await this.store.due(this.clock(), DUE_BATCH) : asked;
      next = null;
      if (!due.length) return;
      // Jobs are claimed and their slots booked ahead of the send loop (a claim is a store write, a booking may be
      // a database statement: either may take longer than the spacing of two slots), as many as there is room for
      // beside the sends in flight. Claiming first lets several instances share the jobs instead of racing for the
      // same one; slots are booked one after the other, in the jobs' order, so the sends keep their spacing.
      const booked: Promise<Booking | null>[] = [];
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
          // The next batch is asked for once this one's claims are made, while its last sends wait for their
          // slots: the rate goes on across the batches instead of pausing for a store read and a claim.
          if (!next && booked.length === due.length) {
            next = Promise.allSettled(booked).then(() => this.store.due(this.clock(), DUE_BATCH));
            // Awaited when this batch is done; a drain that ends first leaves a failure here unhandled otherwise.
            next.catch(() => undefined);
          }
          const booking = await defined(booked[index], 'booking of the job whose turn it is');
          if (booking === null) continue;
          claimedAny = true;
          const job = defined(due[index], DUE_JOB);
          let cleared: { slot: number; at: number } | null;
          try {
            // Stopped while it waited (a pause may be long): not started, released below with the rest.
            cleared = await this.waitFor(booking);
            if (cleared === null) return;
            await this.store.markStarted(job.id, this.clock());
          } catch (err) {
            // Not started: recovery puts it back to pending.
            this.store.release?.(job.id);
            throw err;
          }
          const startedAt = Math.max(cleared.at, this.clock().getTime());
          this.started(startedAt);
          const starting = start(job);
          // A send that went out late (a busy machine, a slow store write) moves every slot after it, this
          // instance's and the others', by as much: those on time after it would crowd its window otherwise.
          const late = startedAt - cleared.slot;
          if (late > this.lateAfterMs) await this.pauseGate(late);
          await starting;
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
   * Until the booking's slot, moved by every pause the gate took since it was booked (one may come meanwhile), and
   * until a window has passed since the send a window's worth back; then the slot and the time it cleared, or null
   * when the outbox was stopped first.
   */
  private async waitFor(booking: Booking): Promise<{ slot: number; at: number } | null> {
    const from = this.clock().getTime();
    let slept = 0;
    for (;;) {
      if (this.stopped) return null;
      const slot = booking.at + (this.pausedMs - booking.pausedMs);
      // However the slots went, no window holds more of this instance's sends than the rate.
      const windowFull = this.starts.length >= this.perWindow ? defined(this.starts[0], 'oldest start') + WINDOW_MS : 0;
      const at = Math.max(slot, windowFull);
      // At least the time slept has passed, whatever the clock says (a clock held still would wait for ever).
      const now = Math.max(this.clock().getTime(), from + slept);
      if (at <= now) return { slot, at: now };
      const step = Math.min(at - now, WAIT_STEP_MS);
      await this.sleep(step);
      slept += step;
    }
  }

  /** A send goes out at `at`; only the last window's worth are kept. */
  private started(at: number): void {
    this.starts.push(at);
    if (this.starts.length > this.perWindow) this.starts.shift();
  }

  private heardPauses(pausedMs: number): void {
    this.pausedMs = Math.max(this.pausedMs, pausedMs);
  }

  /**
   * Claims the job, then (after the booking before it) books its slot: the time it may be sent, by this.clock;
   * null when another sender claimed it first. A failure lets recovery settle the job, as pending: not started.
   */
  private book(job: OutboxJob, previous: Promise<unknown>): Promise<Booking | null> {
    const claimed = this.store.claim(job.id, this.clock());
    const booking = Promise.all([claimed, previous])
      .then(async ([isMine]) => {
        if (!isMine) return null;
        const bookedAt = this.clock().getTime();
        const slot = await this.limiter.reserve();
        // Pauses the gate took before this slot are in it already.
        this.heardPauses(slot.pausedMs);
        return { at: bookedAt + slot.waitMs, pausedMs: slot.pausedMs };
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
    // Teams says how long to hold off (a 429, or a 503 with Retry-After): every sender does, not only this job.
    if (result.outcome === 'retry' && result.retryAfterMs) await this.pauseGate(result.retryAfterMs);
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

  /** A gate that cannot be paused (its database is away) leaves the slots as booked: the job is retried anyway. */
  private async pauseGate(retryAfterMs: number): Promise<void> {
    try {
      this.heardPauses(await this.limiter.pause(Math.min(retryAfterMs, MAX_PAUSE_MS)));
    } catch (err) {
      log.error('outbox.pause.failed', err);
    }
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
