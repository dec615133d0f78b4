import type { Pool } from 'pg';
import { defined } from '../../defined.js';
import type { RateGate, Slot } from '../../research/outbox/pacedGate.js';

/**
 * Books the next slot, in one statement (the row is locked for that statement only): $1 the name, $2 the spacing
 * in milliseconds. The time is the database's, taken once; the slot is the later of now and the next free one.
 */
const BOOK = `
  WITH now AS (SELECT clock_timestamp() AS at)
  INSERT INTO rate_slots AS r (name, next_at) SELECT $1, at + make_interval(secs => $2::float8 / 1000) FROM now
  ON CONFLICT (name) DO UPDATE
     SET next_at = GREATEST(r.next_at + make_interval(secs => $2::float8 / 1000), EXCLUDED.next_at)
  RETURNING EXTRACT(EPOCH FROM next_at - (SELECT at FROM now))::float8 * 1000 - $2::float8 AS wait_ms, paused_ms`;

/**
 * Holds the slots back until $2 milliseconds from now, in one statement: a pause under way is extended by what
 * goes past its end, and every slot from now on moves by as much (EXCLUDED.next_at is now, here).
 */
const PAUSE = `
  WITH now AS (SELECT clock_timestamp() AS at),
       pause AS (SELECT at, at + make_interval(secs => $2::float8 / 1000) AS until FROM now)
  INSERT INTO rate_slots AS r (name, next_at, paused_until, paused_ms)
  SELECT $1, until, until, $2::float8 FROM pause
  ON CONFLICT (name) DO UPDATE
     SET next_at = GREATEST(r.next_at, (SELECT at FROM pause))
                   + GREATEST(interval '0', EXCLUDED.paused_until - GREATEST(r.paused_until, (SELECT at FROM pause))),
         paused_until = GREATEST(r.paused_until, EXCLUDED.paused_until),
         paused_ms = r.paused_ms + 1000 * GREATEST(0, EXTRACT(EPOCH FROM
                       EXCLUDED.paused_until - GREATEST(r.paused_until, (SELECT at FROM pause))))::float8
  RETURNING paused_ms`;

/**
 * The send schedule in the key database, shared by every instance, so that together they stay under Teams' rate
 * limit (which counts per bot, not per instance): slots one spacing apart, booked in one statement under the row's
 * lock with the database's clock, so two instances never book the same slot; see PacedGate for the one-process gate.
 */
export class PgRateGate implements RateGate {
  constructor(
    private readonly pool: Pool,
    private readonly name: string,
    private readonly spacingMs: number,
  ) {}

  async reserve(): Promise<Slot> {
    const { rows } = await this.pool.query<{ wait_ms: number; paused_ms: number }>(BOOK, [this.name, this.spacingMs]);
    // An upsert returns its row.
    const row = defined(rows[0], 'booked rate slot row');
    return { waitMs: Math.max(0, Number(row.wait_ms)), pausedMs: Number(row.paused_ms) };
  }

  async pause(ms: number): Promise<number> {
    const { rows } = await this.pool.query<{ paused_ms: number }>(PAUSE, [this.name, ms]);
    return Number(defined(rows[0], 'paused rate slot row').paused_ms);
  }
}
