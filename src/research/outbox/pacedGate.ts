import { DEFAULT_RATE_HEADROOM } from '../../config/outbox.js';

/**
 * Where the outbox's sends are paced: slots spaced evenly at a little under the rate, so that no window of a
 * second ever holds more sends than the rate (Teams counts throttled requests too, and repeated 429s invite longer
 * throttling: a send goes under the rate rather than into a 429). A Retry-After pauses the gate for every sender.
 */

/** A booked slot: how long from now it starts, and the gate's pauses so far, in all (see RateGate.pause). */
export interface Slot {
  waitMs: number;
  pausedMs: number;
}

/**
 * Books send slots, shared by every sender that uses the same gate. The slot is taken at once (a waiting sender
 * does not ask again), one spacing after the one before, however many instances book them.
 */
export interface RateGate {
  reserve(): Slot | Promise<Slot>;
  /**
   * Holds every slot not yet reached back until `ms` from now (a pause already under way is extended, not added
   * to): the slots booked and those still to come keep their spacing after it. Returns the gate's pauses so far, in
   * all, in milliseconds; a sender moves the slots it has booked by how much that grew since it last looked.
   */
  pause(ms: number): number | Promise<number>;
}

/** Milliseconds between two slots: the rate less its headroom. */
export function slotSpacingMs(ratePerSec: number, headroom = DEFAULT_RATE_HEADROOM): number {
  return 1000 / (ratePerSec * (1 - headroom));
}

/** The gate in this process, for one instance (the embedded store); several share PgRateGate instead. */
export class PacedGate implements RateGate {
  private nextAt = -Infinity;
  private pausedUntil = -Infinity;
  private pausedMs = 0;

  constructor(
    private readonly spacingMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  reserve(): Slot {
    const now = this.now();
    const slot = Math.max(now, this.nextAt);
    this.nextAt = slot + this.spacingMs;
    return { waitMs: slot - now, pausedMs: this.pausedMs };
  }

  pause(ms: number): number {
    const now = this.now();
    const until = Math.max(this.pausedUntil, now + ms);
    const added = until - Math.max(this.pausedUntil, now);
    this.pausedUntil = until;
    this.nextAt = Math.max(this.nextAt, now) + added;
    this.pausedMs += added;
    return this.pausedMs;
  }
}
