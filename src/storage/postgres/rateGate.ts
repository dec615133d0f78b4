import type { Pool } from 'pg';
import type { RateGate } from '../../research/outbox/rateLimiter.js';
import { withTransaction } from './pools.js';
import { defined } from '../../defined.js';

/**
 * A token bucket in the key database, shared by every instance, so that together they stay under Teams' rate limit
 * (which counts per bot, not per instance). The row is locked while it is refilled and taken from, with the
 * database's clock, so two instances never book the same token.
 */
export class PgRateGate implements RateGate {
  constructor(
    private readonly pool: Pool,
    private readonly name: string,
    private readonly ratePerSec: number,
    private readonly burst: number,
  ) {}

  /** Books a token (the bucket may go into debt; see RateGate): the wait is until the bucket would hold it. */
  reserve(): Promise<number> {
    return withTransaction(this.pool, async (client) => {
      await client.query(
        'INSERT INTO rate_limits (name, tokens, updated_at) VALUES ($1, $2, clock_timestamp()) ON CONFLICT (name) DO NOTHING',
        [this.name, this.burst],
      );
      const { rows } = await client.query<{ available: string }>(
        `SELECT LEAST($2::float8, tokens + EXTRACT(EPOCH FROM clock_timestamp() - updated_at)::float8 * $3::float8) AS available
           FROM rate_limits WHERE name = $1 FOR UPDATE`,
        [this.name, this.burst, this.ratePerSec],
      );
      // The INSERT above makes sure the row exists.
      const available = Number(defined(rows[0], 'rate limit row').available);
      await client.query('UPDATE rate_limits SET tokens = $2, updated_at = clock_timestamp() WHERE name = $1', [
        this.name,
        available - 1,
      ]);
      return available >= 1 ? 0 : Math.ceil(((1 - available) / this.ratePerSec) * 1000);
    });
  }
}
