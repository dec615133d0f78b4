import { RateLimiter } from '../research/outbox/rateLimiter.js';

/** go: handle the message; warn: drop it and say so once; drop: drop it silently (already told). */
export type FloodVerdict = 'go' | 'warn' | 'drop';

export interface FloodOptions {
  /** Messages per second a participant earns; a person typing or pressing buttons stays far below. */
  ratePerSec: number;
  /** How many may come at once (a double click, a quick "terug" and a new answer). */
  burst: number;
  /** Participants tracked at most; idle ones (full buckets) are forgotten first. */
  maxTracked: number;
}

interface Bucket {
  limiter: RateLimiter;
  warned: boolean;
}

/**
 * Slows down one participant who floods the bot, without touching anyone else: a token bucket per participant,
 * in memory only, keyed by a keyed hash (never the Teams id itself). The warning goes out once per flood: it is
 * sent again only after the participant was quiet long enough for their bucket to fill up.
 */
export class FloodLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly options: FloodOptions,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): FloodVerdict {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.options.maxTracked) this.forgetIdle();
      bucket = { limiter: new RateLimiter(this.options.ratePerSec, this.options.burst, this.now), warned: false };
      this.buckets.set(key, bucket);
    }
    if (bucket.limiter.full()) bucket.warned = false;
    if (bucket.limiter.take() === 0) return 'go';
    if (bucket.warned) return 'drop';
    bucket.warned = true;
    return 'warn';
  }

  /**
   * Whether this participant's message would be dropped silently right now (out of tokens, and told already),
   * without counting it: the edge uses this to shed a flood before the costly part of a turn. It never takes a
   * token, so a forged request cannot use up someone else's messages.
   */
  shed(key: string): boolean {
    const bucket = this.buckets.get(key);
    return !!bucket && bucket.warned && !bucket.limiter.ready();
  }

  /** How many participants are tracked (for tests: memory stays bounded). */
  get size(): number {
    return this.buckets.size;
  }

  private forgetIdle(): void {
    for (const [key, bucket] of this.buckets) if (bucket.limiter.full()) this.buckets.delete(key);
    // All busy at once: forget the oldest rather than grow without bound.
    if (this.buckets.size >= this.options.maxTracked) this.buckets.delete(this.buckets.keys().next().value!);
  }
}
