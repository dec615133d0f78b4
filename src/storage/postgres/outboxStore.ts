import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { DEFAULT_CLAIM_LEASE_MS } from '../../config/postgres.js';
import { log } from '../../log.js';
import type { OutboxJob, OutboxStore } from '../../ports/outbox.js';

/** Jobs per INSERT when enqueueing a round's invitations. */
const BATCH = 1000;

export interface PgOutboxOptions {
  /**
   * How long a claim is presumed alive (OUTBOX_CLAIM_LEASE_SEC, default 120 s): recover() leaves a job in
   * "sending" alone until its claim is older than this AND its instance has not been seen for this long.
   */
  claimLeaseMs?: number;
  /** This instance's id; a random one by default. */
  instanceId?: string;
}

/**
 * The outbox on PostgreSQL, in the key database (jobs name chat targets).
 *
 * Exactly once across instances: due() is a plain read, and several instances may well read the same due job;
 * claim() is the single atomic step: `UPDATE outbox SET status 'sending' WHERE id = $1 AND status = 'pending'`.
 * PostgreSQL lets one of two concurrent UPDATEs of a row go first and re-checks the WHERE for the second against
 * the committed row, which then is 'sending': exactly one claimer gets a row back. Only the winner sends.
 * (FOR UPDATE SKIP LOCKED in due() would not help: its locks end with the statement unless the whole send runs in
 * that transaction, which would hold a connection per message in flight and still make recovery impossible.)
 *
 * Recovery: an instance that dies while sending leaves its job in "sending"; it was maybe sent, so it becomes
 * "uncertain" (never sent twice: a second invitation is worse than a missing one). With several instances,
 * recover() must not touch the jobs a live instance is sending right now, so a job is recovered only when
 * - its claim is older than the lease (by the database's clock, claim_started), and
 * - the instance that claimed it is gone: it has no row in outbox_instances seen within the lease. Every instance
 *   that claims registers itself and refreshes seen_at every lease/4; close() removes its row.
 * Call recover() at start and periodically (every scheduler tick), so that a killed instance's jobs are settled
 * by the others within about one lease.
 */
export class PgOutboxStore implements OutboxStore {
  readonly instanceId: string;
  private readonly leaseMs: number;
  private registered: Promise<void> | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  /** The registration or heartbeat write in flight: close() waits for it, so that its row cannot outlive the goodbye. */
  private touching: Promise<void> = Promise.resolve();
  private closing: Promise<void> | null = null;
  /** Jobs this instance claimed and gave up on (its bookkeeping failed): settled by the next recover(). */
  private readonly released = new Set<string>();

  constructor(
    private readonly pool: Pool,
    options: PgOutboxOptions = {},
  ) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.leaseMs = options.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS;
  }

  private touch(): Promise<void> {
    const touched = this.pool
      .query('INSERT INTO outbox_instances (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET seen_at = now()', [
        this.instanceId,
      ])
      .then(() => undefined);
    this.touching = touched.catch(() => undefined);
    return touched;
  }

  /** Registers this instance before its first claim, and keeps it alive while it runs; refused once closed. */
  private register(): Promise<void> {
    if (this.closing) return Promise.reject(closedError());
    this.registered ??= this.touch().then(
      () => {
        // close() came while the first write was in flight: no heartbeat, and no claim.
        if (this.closing) throw closedError();
        const every = Math.max(1000, Math.min(30_000, Math.floor(this.leaseMs / 4)));
        this.heartbeat = setInterval(() => void this.touch().catch((err) => log.error('outbox.heartbeat', err)), every);
        // It only keeps the lease alive: it must not keep the process alive.
        this.heartbeat.unref();
      },
      (err) => {
        this.registered = null;
        throw err;
      },
    );
    return this.registered;
  }

  async enqueue(jobs: OutboxJob[]): Promise<number> {
    let added = 0;
    for (let i = 0; i < jobs.length; i += BATCH) {
      const { rowCount } = await this.pool.query(
        `INSERT INTO outbox (id, job)
         SELECT j ->> 'id', j FROM jsonb_array_elements($1::jsonb) AS j
         ON CONFLICT (id) DO NOTHING`,
        [JSON.stringify(jobs.slice(i, i + BATCH))],
      );
      added += rowCount ?? 0;
    }
    return added;
  }

  async due(now: Date, limit: number): Promise<OutboxJob[]> {
    const { rows } = await this.pool.query<{ job: OutboxJob }>(
      `SELECT job FROM outbox WHERE status = 'pending' AND not_before <= $1 ORDER BY not_before, id LIMIT $2`,
      [now.toISOString(), limit],
    );
    return rows.map((r) => r.job);
  }

  async claim(id: string, now: Date): Promise<boolean> {
    await this.register();
    const { rowCount } = await this.pool.query(
      `UPDATE outbox
          SET job = job || jsonb_build_object('status', 'sending', 'claimedAt', $2::text),
              claimed_by = $3, claim_started = now()
        WHERE id = $1 AND status = 'pending'`,
      [id, now.toISOString(), this.instanceId],
    );
    return rowCount === 1;
  }

  /** Merges the change into the job in one statement; a key set to undefined is removed, as in the embedded store. */
  async finish(id: string, change: Partial<OutboxJob>): Promise<void> {
    const removed = Object.entries(change)
      .filter(([, v]) => v === undefined)
      .map(([k]) => k);
    await this.pool.query('UPDATE outbox SET job = (job || $2::jsonb) - $3::text[] WHERE id = $1', [
      id,
      JSON.stringify(change),
      removed,
    ]);
  }

  async markStarted(id: string, now: Date): Promise<void> {
    await this.pool.query(`UPDATE outbox SET job = job || jsonb_build_object('startedAt', $2::text) WHERE id = $1`, [
      id,
      now.toISOString(),
    ]);
  }

  release(id: string): void {
    this.released.add(id);
  }

  /** Settles the jobs this instance gave up on, as a dead instance's would be: started ones become uncertain. */
  private async settleReleased(): Promise<number> {
    if (!this.released.size) return 0;
    const ids = [...this.released];
    const mine = `o.id = ANY($1::text[]) AND o.status = 'sending' AND o.claimed_by = $2`;
    await this.pool.query(
      `UPDATE outbox o SET job = (o.job - 'claimedAt') || jsonb_build_object('status', 'pending'), claimed_by = NULL, claim_started = NULL
        WHERE ${mine} AND NOT (o.job ? 'startedAt')`,
      [ids, this.instanceId],
    );
    const { rowCount } = await this.pool.query(
      `UPDATE outbox o SET job = o.job || jsonb_build_object('status', 'uncertain', 'lastError', 'the sender could not record the outcome')
        WHERE ${mine} AND o.job ? 'startedAt'`,
      [ids, this.instanceId],
    );
    for (const id of ids) this.released.delete(id);
    return rowCount ?? 0;
  }

  async recover(): Promise<number> {
    const settled = await this.settleReleased();
    const stuck = `o.status = 'sending'
          AND (o.claim_started IS NULL OR o.claim_started <= now() - make_interval(secs => $1::double precision))
          AND NOT EXISTS (
            SELECT 1 FROM outbox_instances i
             WHERE i.id = o.claimed_by AND i.seen_at > now() - make_interval(secs => $1::double precision))`;
    // Claimed but never started (the instance died waiting for the rate): safe to send, by another instance.
    await this.pool.query(
      `UPDATE outbox o SET job = (o.job - 'claimedAt') || jsonb_build_object('status', 'pending'), claimed_by = NULL, claim_started = NULL
        WHERE ${stuck} AND NOT (o.job ? 'startedAt')`,
      [this.leaseMs / 1000],
    );
    const { rowCount } = await this.pool.query(
      `UPDATE outbox o
          SET job = o.job || jsonb_build_object('status', 'uncertain', 'lastError', 'the sender stopped while sending')
        WHERE ${stuck} AND o.job ? 'startedAt'`,
      [this.leaseMs / 1000],
    );
    // Housekeeping: instances not seen for a day are long gone.
    await this.pool.query(`DELETE FROM outbox_instances WHERE seen_at < now() - interval '1 day'`);
    return settled + (rowCount ?? 0);
  }

  async list(roundId: string): Promise<OutboxJob[]> {
    const { rows } = await this.pool.query<{ job: OutboxJob }>(
      'SELECT job FROM outbox WHERE round_id = $1 ORDER BY id',
      [roundId],
    );
    return rows.map((r) => r.job);
  }

  async get(id: string): Promise<OutboxJob | null> {
    const { rows } = await this.pool.query<{ job: OutboxJob }>('SELECT job FROM outbox WHERE id = $1', [id]);
    return rows[0]?.job ?? null;
  }

  async removeParticipant(pseudonym: string, roundId?: string): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM outbox WHERE job ->> 'pseudonym' = $1 AND ($2::text IS NULL OR round_id = $2)`,
      [pseudonym, roundId ?? null],
    );
    return rowCount ?? 0;
  }

  async removeRound(roundId: string): Promise<number> {
    const { rowCount } = await this.pool.query('DELETE FROM outbox WHERE round_id = $1', [roundId]);
    return rowCount ?? 0;
  }

  /**
   * Stops the heartbeat and says goodbye: this instance's remaining claims become recoverable after the lease.
   * Idempotent; a registration or heartbeat write still in flight lands before the goodbye, and starts no timer.
   */
  close(): Promise<void> {
    this.closing ??= this.leave();
    return this.closing;
  }

  private async leave(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    const registered = this.registered;
    if (!registered) return;
    await registered.catch(() => undefined);
    await this.touching;
    await this.pool
      .query('DELETE FROM outbox_instances WHERE id = $1', [this.instanceId])
      .catch((err) => log.error('outbox.deregister', err));
  }
}

function closedError(): Error {
  return new Error('the outbox store is closed: it claims no more jobs');
}
