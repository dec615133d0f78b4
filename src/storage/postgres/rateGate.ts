import type { Pool } from 'pg';
import { defined } from '../../defined.js';
import type { RateGate } from '../../research/outbox/rateLimiter.js';

/**
 * Refills the bucket by the time since its last booking and takes a token, in one statement (the row is locked for
 * that statement only): $1 the name, $2 the burst, $3 the rate per second. The time is the database's, taken once;
 * a booking that waited for the row behind a later one counts no time backwards. Returns what the bucket held.
 */
const BOOK = `
  WITH now AS (SELECT clock_timestamp() AS at)
  INSERT INTO rate_limits AS r (name, tokens, updated_at) SELECT $1, $2::float8 - 1, at FROM now
  ON CONFLICT (name) DO UPDATE
     SET tokens = LEAST(
                    $2::float8,
                    r.tokens + GREATEST(0, EXTRACT(EPOCH FROM EXCLUDED.updated_at - r.updated_at))::float8 * $3::float8
                  ) - 1,
         updated_at = GREATEST(r.updated_at, EXCLUDED.updated_at)
  RETURNING tokens + 1 AS available`;

/**
 * A token bucket in the key database, shared by every instance, so that together they stay under Teams' rate limit
 * (which counts per bot, not per instance). One statement refills it and takes from it under the row's lock, with
 * the database's clock, so two instances never book the same token.
 */
export class PgRateGate implements RateGate {
  constructor(
    private readonly pool: Pool,
    private readonly name: string,
    private readonly ratePerSec: number,
    private readonly burst: number,
  ) {}

  /** Books a token (the bucket may go into debt; see RateGate): the wait is until the bucket would hold it. */
  async reserve(): Promise<number> {
    const { rows } = await this.pool.query<{ available: number }>(BOOK, [this.name, this.burst, this.ratePerSec]);
    // An upsert returns its row.
    const available = Number(defined(rows[0], 'booked rate limit row').available);
    return available >= 1 ? 0 : Math.ceil(((1 - available) / this.ratePerSec) * 1000);
  }
}
