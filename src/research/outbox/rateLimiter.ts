/**
 * Books the next send: 0 to send now, or how many milliseconds to wait before sending. The token is taken at once
 * (the bucket may go into debt), so a waiting sender does not ask again and loses no time polling: sends are spaced
 * exactly 1/rate apart, however many instances book them.
 */
export interface RateGate {
  reserve(): number | Promise<number>;
}

/**
 * A token bucket in this process: at most `ratePerSec` sends per second on average, bursts up to `burst`. Teams
 * counts per bot, so several instances share one in the database instead (PgRateGate).
 */
export class RateLimiter implements RateGate {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Whether the bucket has refilled completely: nothing was taken for as long as a whole burst takes to earn. */
  full(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }

  /** Whether a token is there now, without taking it. */
  ready(): boolean {
    this.refill();
    return this.tokens >= 1;
  }

  /** Milliseconds to wait before the next send may go; 0 takes a token now. */
  take(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.ratePerSec) * 1000);
  }

  /** take, but a send that must wait has its token booked now: the wait is until the bucket would hold it. */
  reserve(): number {
    const wait = this.take();
    if (wait > 0) this.tokens -= 1;
    return wait;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSec);
    this.last = t;
  }
}
