/** A token bucket in this process: at most `ratePerSec` per second on average, bursts up to `burst`. */
export class RateLimiter {
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

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSec);
    this.last = t;
  }
}
