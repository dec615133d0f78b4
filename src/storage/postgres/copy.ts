import type { Pool } from 'pg';
import type { Round } from '../../content/schema.js';
import type { InterviewRecord } from '../../interview/types.js';
import type { OutboxJob } from '../../ports/outbox.js';
import type { ConversationTarget, DigestLogEntry, KeyEntry, RoundCounters } from '../../ports/stores.js';
import { defined } from '../../defined.js';

/** What one kind of record did while copying. present: how many of the source's are in PostgreSQL afterwards. */
export interface CopyCount {
  source: number;
  inserted: number;
  updated: number;
  present: number;
}

export const COPY_KINDS = [
  'rounds',
  'interviews',
  'counters',
  'digest log entries',
  'key entries',
  'chat targets',
  'researchers',
  'digest channels',
  'number tokens',
  'outbox jobs',
] as const;
export type CopyKind = (typeof COPY_KINDS)[number];

interface Upserted {
  inserted: boolean;
}

function tally(rows: Upserted[]): { inserted: number; updated: number } {
  const inserted = rows.filter((r) => r.inserted).length;
  return { inserted, updated: rows.length - inserted };
}

async function countOf(pool: Pool, sql: string, values: unknown[]): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(sql, values);
  return Number(defined(rows[0], 'row of a count').n);
}

/**
 * Copies records into the two PostgreSQL databases by upsert, so that a second run duplicates nothing, and never
 * deletes. Who wins when a record is in both:
 * - interviews: the higher rev (a record never goes back); counters: the larger count, per count;
 * - rounds, key entries, chat targets: the source (the embedded store is the truth until the bot runs on PostgreSQL);
 * - digest log entries, researchers, digest channels, number tokens: added when missing, never changed;
 * - outbox jobs: added when missing; a job PostgreSQL still holds as pending takes the source's later state.
 * After each batch it counts how many of the batch's records PostgreSQL holds (for interviews: at least that rev;
 * for number tokens: the same token), which is the check the caller compares with the source's count.
 * "(xmax = 0)" in RETURNING tells an inserted row from an updated one.
 */
export class PgCopier {
  readonly counts = new Map<CopyKind, CopyCount>(
    COPY_KINDS.map((k) => [k, { source: 0, inserted: 0, updated: 0, present: 0 }]),
  );

  constructor(
    private readonly answers: Pool,
    private readonly keys: Pool,
  ) {}

  private add(kind: CopyKind, source: number, done: { inserted: number; updated: number }, present: number): void {
    const c = this.counts.get(kind)!;
    c.source += source;
    c.inserted += done.inserted;
    c.updated += done.updated;
    c.present += present;
  }

  async rounds(rounds: Round[]): Promise<void> {
    if (!rounds.length) return;
    const ids = rounds.map((r) => r.id);
    const { rows } = await this.answers.query<Upserted>(
      `INSERT INTO rounds AS r (id, data) SELECT id, data::json FROM unnest($1::text[], $2::text[]) AS t(id, data)
       ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data WHERE r.data::text IS DISTINCT FROM EXCLUDED.data::text
       RETURNING (xmax = 0) AS inserted`,
      [ids, rounds.map((r) => JSON.stringify(r))],
    );
    this.add(
      'rounds',
      rounds.length,
      tally(rows),
      await countOf(this.answers, 'SELECT count(*) AS n FROM rounds WHERE id = ANY($1::text[])', [ids]),
    );
  }

  async interviews(records: InterviewRecord[]): Promise<void> {
    if (!records.length) return;
    const values = [records.map((r) => r.roundId), records.map((r) => r.code), records.map((r) => r.rev)];
    const { rows } = await this.answers.query<Upserted>(
      `INSERT INTO interviews AS i (round_id, code, rev, data, completed)
       SELECT r, c, v, d::json, k FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::bool[]) AS t(r, c, v, d, k)
       ON CONFLICT (round_id, code) DO UPDATE SET rev = EXCLUDED.rev, data = EXCLUDED.data, completed = EXCLUDED.completed,
         export_key = NULL, export_cells = NULL WHERE i.rev < EXCLUDED.rev
       RETURNING (xmax = 0) AS inserted`,
      [...values, records.map((r) => JSON.stringify(r)), records.map((r) => r.completedAt != null)],
    );
    const present = await countOf(
      this.answers,
      `SELECT count(*) AS n FROM interviews i JOIN unnest($1::text[], $2::text[], $3::int[]) AS t(r, c, v)
         ON i.round_id = t.r AND i.code = t.c AND i.rev >= t.v`,
      values,
    );
    this.add('interviews', records.length, tally(rows), present);
  }

  async counters(roundId: string, counters: RoundCounters): Promise<void> {
    const { rows } = await this.answers.query<Upserted>(
      `INSERT INTO round_counters AS c (round_id, issued, declined, withdrawn) VALUES ($1, $2, $3, $4)
       ON CONFLICT (round_id) DO UPDATE SET issued = greatest(c.issued, EXCLUDED.issued),
         declined = greatest(c.declined, EXCLUDED.declined), withdrawn = greatest(c.withdrawn, EXCLUDED.withdrawn)
       WHERE c.issued < EXCLUDED.issued OR c.declined < EXCLUDED.declined OR c.withdrawn < EXCLUDED.withdrawn
       RETURNING (xmax = 0) AS inserted`,
      [roundId, counters.issued, counters.declined, counters.withdrawn],
    );
    const present = await countOf(
      this.answers,
      'SELECT count(*) AS n FROM round_counters WHERE round_id = $1 AND issued >= $2 AND declined >= $3 AND withdrawn >= $4',
      [roundId, counters.issued, counters.declined, counters.withdrawn],
    );
    this.add('counters', 1, tally(rows), present);
  }

  async digestLog(roundId: string, entries: DigestLogEntry[]): Promise<void> {
    if (!entries.length) return;
    const json = JSON.stringify(entries);
    const { rows } = await this.answers.query<Upserted>(
      `INSERT INTO digest_log (round_id, entry)
       SELECT $1, t.e FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(e, n)
        WHERE NOT EXISTS (SELECT 1 FROM digest_log d WHERE d.round_id = $1 AND d.entry = t.e)
        ORDER BY t.n
       RETURNING true AS inserted`,
      [roundId, json],
    );
    const present = await countOf(
      this.answers,
      `SELECT count(*) AS n FROM jsonb_array_elements($2::jsonb) AS t(e)
        WHERE EXISTS (SELECT 1 FROM digest_log d WHERE d.round_id = $1 AND d.entry = t.e)`,
      [roundId, json],
    );
    this.add('digest log entries', entries.length, tally(rows), present);
  }

  async keyEntries(entries: { pseudonym: string; roundId: string; entry: KeyEntry }[]): Promise<void> {
    if (!entries.length) return;
    const values = [entries.map((e) => e.pseudonym), entries.map((e) => e.roundId)];
    const { rows } = await this.keys.query<Upserted>(
      `INSERT INTO key_entries AS k (pseudonym, round_id, entry)
       SELECT p, r, e::jsonb FROM unnest($1::text[], $2::text[], $3::text[]) AS t(p, r, e)
       ON CONFLICT (pseudonym, round_id) DO UPDATE SET entry = EXCLUDED.entry WHERE k.entry IS DISTINCT FROM EXCLUDED.entry
       RETURNING (xmax = 0) AS inserted`,
      [...values, entries.map((e) => JSON.stringify(e.entry))],
    );
    const present = await countOf(
      this.keys,
      'SELECT count(*) AS n FROM key_entries k JOIN unnest($1::text[], $2::text[]) AS t(p, r) ON k.pseudonym = t.p AND k.round_id = t.r',
      values,
    );
    this.add('key entries', entries.length, tally(rows), present);
  }

  async chatTargets(targets: { pseudonym: string; target: ConversationTarget }[]): Promise<void> {
    if (!targets.length) return;
    const pseudonyms = targets.map((t) => t.pseudonym);
    const { rows } = await this.keys.query<Upserted>(
      `INSERT INTO chat_targets AS c (pseudonym, target)
       SELECT p, t::jsonb FROM unnest($1::text[], $2::text[]) AS u(p, t)
       ON CONFLICT (pseudonym) DO UPDATE SET target = EXCLUDED.target WHERE c.target IS DISTINCT FROM EXCLUDED.target
       RETURNING (xmax = 0) AS inserted`,
      [pseudonyms, targets.map((t) => JSON.stringify(t.target))],
    );
    this.add(
      'chat targets',
      targets.length,
      tally(rows),
      await countOf(this.keys, 'SELECT count(*) AS n FROM chat_targets WHERE pseudonym = ANY($1::text[])', [
        pseudonyms,
      ]),
    );
  }

  async researchers(ids: string[]): Promise<void> {
    if (!ids.length) return;
    const { rows } = await this.keys.query<Upserted>(
      'INSERT INTO researchers (id) SELECT unnest($1::text[]) ON CONFLICT (id) DO NOTHING RETURNING true AS inserted',
      [ids],
    );
    this.add(
      'researchers',
      ids.length,
      tally(rows),
      await countOf(this.keys, 'SELECT count(*) AS n FROM researchers WHERE id = ANY($1::text[])', [ids]),
    );
  }

  async digestChannels(roundId: string, targets: ConversationTarget[]): Promise<void> {
    if (!targets.length) return;
    const keys = targets.map((t) => t.conversationId ?? '');
    const { rows } = await this.keys.query<Upserted>(
      `INSERT INTO digest_channels (round_id, conversation_key, target)
       SELECT $1, k, t::jsonb FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS u(k, t, n) ORDER BY n
       ON CONFLICT (round_id, conversation_key) DO NOTHING
       RETURNING true AS inserted`,
      [roundId, keys, targets.map((t) => JSON.stringify(t))],
    );
    const present = await countOf(
      this.keys,
      'SELECT count(*) AS n FROM digest_channels WHERE round_id = $1 AND conversation_key = ANY($2::text[])',
      [roundId, keys],
    );
    this.add('digest channels', targets.length, tally(rows), present);
  }

  async numberTokens(roundId: string, tokens: Record<string, string>): Promise<void> {
    const codes = Object.keys(tokens);
    if (!codes.length) return;
    const values = [roundId, codes, codes.map((c) => tokens[c])];
    const { rows } = await this.keys.query<Upserted>(
      `INSERT INTO number_tokens (round_id, code, token) SELECT $1, c, t FROM unnest($2::text[], $3::text[]) AS u(c, t)
       ON CONFLICT (round_id, code) DO NOTHING RETURNING true AS inserted`,
      values,
    );
    const present = await countOf(
      this.keys,
      'SELECT count(*) AS n FROM number_tokens n JOIN unnest($2::text[], $3::text[]) AS u(c, t) ON n.round_id = $1 AND n.code = u.c AND n.token = u.t',
      values,
    );
    this.add('number tokens', codes.length, tally(rows), present);
  }

  async outbox(jobs: OutboxJob[]): Promise<void> {
    if (!jobs.length) return;
    const ids = jobs.map((j) => j.id);
    const { rows } = await this.keys.query<Upserted>(
      `INSERT INTO outbox AS o (id, job) SELECT j ->> 'id', j FROM jsonb_array_elements($1::jsonb) AS j
       ON CONFLICT (id) DO UPDATE SET job = EXCLUDED.job
        WHERE o.status = 'pending' AND o.job IS DISTINCT FROM EXCLUDED.job
          AND coalesce((o.job ->> 'attempts')::int, 0) <= coalesce((EXCLUDED.job ->> 'attempts')::int, 0)
       RETURNING (xmax = 0) AS inserted`,
      [JSON.stringify(jobs)],
    );
    this.add(
      'outbox jobs',
      jobs.length,
      tally(rows),
      await countOf(this.keys, 'SELECT count(*) AS n FROM outbox WHERE id = ANY($1::text[])', [ids]),
    );
  }

  /** The kinds whose records are not all in PostgreSQL after the copy. */
  missing(): { kind: CopyKind; count: CopyCount }[] {
    return [...this.counts].filter(([, c]) => c.present !== c.source).map(([kind, count]) => ({ kind, count }));
  }
}
