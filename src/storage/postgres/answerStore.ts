import type { Pool } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Round } from '../../content/schema.js';
import { letterCode } from '../../interview/codes.js';
import type { InterviewRecord } from '../../interview/types.js';
import { StaleWriteError, type AnswerStore, type DigestLogEntry, type RoundCounters } from '../../ports/stores.js';
import { copyRows } from './copyRows.js';
import { withTransaction } from './pools.js';
import { defined } from '../../defined.js';

/** Rows fetched per round trip when listing a round's interviews (an export of 60,000 streams in pages). */
const PAGE = 2000;

/** An export's COPY runs as long as its download takes (a slow network), up to this long. */
const COPY_TIMEOUT_MS = 15 * 60_000;

/**
 * The answers store on PostgreSQL (DATABASE_URL). Every turn's operation is one statement or one short
 * transaction, so that any number of instances can share the database:
 * - createInterview increments the round's counter row (UPDATE ... RETURNING, which locks that row until the
 *   interview is stored): codes are handed out in order and never twice, and a code whose interview could not
 *   be stored is not used up;
 * - saveInterview is one UPDATE by primary key that matches the expected rev: of two concurrent saves of one
 *   revision exactly one changes a row; the other gets StaleWriteError.
 */
export class PgAnswerStore implements AnswerStore {
  constructor(private readonly pool: Pool) {}

  async createInterview(roundId: string, build: (code: string) => InterviewRecord): Promise<InterviewRecord> {
    return withTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ issued: number }>(
        `INSERT INTO round_counters (round_id, issued) VALUES ($1, 1)
         ON CONFLICT (round_id) DO UPDATE SET issued = round_counters.issued + 1
         RETURNING issued`,
        [roundId],
      );
      const { issued } = defined(rows[0], 'row of the upserted counter');
      const record: InterviewRecord = { ...build(letterCode(issued - 1)), rev: 1 };
      await client.query(
        'INSERT INTO interviews (round_id, code, rev, data, completed) VALUES ($1, $2, $3, $4::json, $5)',
        [record.roundId, record.code, record.rev, JSON.stringify(record), record.completedAt != null],
      );
      return record;
    });
  }

  async getInterview(roundId: string, code: string): Promise<InterviewRecord | null> {
    const { rows } = await this.pool.query<{ data: InterviewRecord }>(
      'SELECT data FROM interviews WHERE round_id = $1 AND code = $2',
      [roundId, code],
    );
    return rows[0]?.data ?? null;
  }

  async saveInterview(record: InterviewRecord, expectedRev: number): Promise<void> {
    const { rowCount } = await this.pool.query(
      'UPDATE interviews SET rev = $3, data = $4::json, completed = $6 WHERE round_id = $1 AND code = $2 AND rev = $5',
      [record.roundId, record.code, record.rev, JSON.stringify(record), expectedRev, record.completedAt != null],
    );
    if (rowCount !== 1) throw new StaleWriteError(record.roundId, record.code);
  }

  async deleteInterview(roundId: string, code: string): Promise<void> {
    await this.pool.query('DELETE FROM interviews WHERE round_id = $1 AND code = $2', [roundId, code]);
  }

  async countEvent(roundId: string, event: 'declined' | 'withdrawn'): Promise<void> {
    // The column name comes from the closed union above, never from input.
    const column = event === 'declined' ? 'declined' : 'withdrawn';
    await this.pool.query(
      `INSERT INTO round_counters (round_id, ${column}) VALUES ($1, 1)
       ON CONFLICT (round_id) DO UPDATE SET ${column} = round_counters.${column} + 1`,
      [roundId],
    );
  }

  async counters(roundId: string): Promise<RoundCounters> {
    const { rows } = await this.pool.query<RoundCounters>(
      'SELECT issued, declined, withdrawn FROM round_counters WHERE round_id = $1',
      [roundId],
    );
    return rows[0] ?? { issued: 0, declined: 0, withdrawn: 0 };
  }

  /** In code order (byte order, as the embedded store), a page at a time by keyset: no OFFSET, no long transaction. */
  async *listInterviews(roundId: string): AsyncIterable<InterviewRecord> {
    let after = '';
    for (;;) {
      const { rows } = await this.pool.query<{ code: string; data: InterviewRecord }>(
        'SELECT code, data FROM interviews WHERE round_id = $1 AND code > $2 ORDER BY code LIMIT $3',
        [roundId, after, PAGE],
      );
      for (const row of rows) yield row.data;
      if (rows.length < PAGE) return;
      after = defined(rows.at(-1), 'last row of a full page').code;
    }
  }

  /** From the column `completed` (migration interview-completed); only rows saved before it are read to tell. */
  async completedCodes(roundId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ code: string }>(
      'SELECT code FROM interviews WHERE round_id = $1 AND completed',
      [roundId],
    );
    const codes = rows.map((r) => r.code);
    for (let after = ''; ;) {
      const { rows: older } = await this.pool.query<{ code: string; data: InterviewRecord }>(
        'SELECT code, data FROM interviews WHERE round_id = $1 AND completed IS NULL AND code > $2 ORDER BY code LIMIT $3',
        [roundId, after, PAGE],
      );
      for (const row of older) if (row.data.completedAt) codes.push(row.code);
      if (older.length < PAGE) return codes;
      after = defined(older.at(-1), 'last row of a full page').code;
    }
  }

  /** The interviews of these codes in the order given, parsed as they arrive (see interviewTexts). */
  async *interviewsByCode(roundId: string, codes: string[]): AsyncIterable<InterviewRecord> {
    for await (const text of this.interviewTexts(roundId, codes))
      yield JSON.parse(text.toString('utf8')) as InterviewRecord;
  }

  /**
   * The stored JSON of these interviews, in the order given, as bytes: one `COPY (SELECT ...) TO STDOUT` (the codes
   * joined WITH ORDINALITY), read as it arrives, so rows come at the pace the reader takes them (the socket's
   * backpressure) and a few chunks are held, whatever the number. COPY takes no parameters: the codes (the
   * store's own) go in as one quoted JSON literal. The bench's export floor reads these and drops them.
   */
  async *interviewTexts(roundId: string, codes: string[]): AsyncIterable<Buffer> {
    if (codes.length === 0) return;
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${COPY_TIMEOUT_MS}`);
      const stream = client.query(
        copyTo(
          `COPY (SELECT i.data FROM json_array_elements_text(${client.escapeLiteral(JSON.stringify(codes))}::json)
                 WITH ORDINALITY AS wanted(code, n)
               JOIN interviews i ON i.round_id = ${client.escapeLiteral(roundId)} AND i.code = wanted.code
              ORDER BY wanted.n) TO STDOUT (FORMAT binary)`,
        ),
      );
      try {
        yield* copyRows(stream);
      } finally {
        // A reader that stopped early leaves the COPY running: that connection is closed, not reused.
        if (!stream.readableEnded) broken = new Error('the reader stopped before the end of the COPY');
        stream.destroy();
      }
      await client.query('COMMIT');
    } catch (err) {
      broken = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async listRounds(): Promise<Round[]> {
    const { rows } = await this.pool.query<{ data: Round }>('SELECT data FROM rounds ORDER BY id');
    return rows.map((r) => r.data);
  }

  async getRound(roundId: string): Promise<Round | null> {
    const { rows } = await this.pool.query<{ data: Round }>('SELECT data FROM rounds WHERE id = $1', [roundId]);
    return rows[0]?.data ?? null;
  }

  async saveRound(round: Round): Promise<void> {
    await this.pool.query(
      'INSERT INTO rounds (id, data) VALUES ($1, $2::json) ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data',
      [round.id, JSON.stringify(round)],
    );
  }

  async digestLog(roundId: string): Promise<DigestLogEntry[]> {
    const { rows } = await this.pool.query<{ entry: DigestLogEntry }>(
      'SELECT entry FROM digest_log WHERE round_id = $1 ORDER BY seq',
      [roundId],
    );
    return rows.map((r) => r.entry);
  }

  async appendDigestLog(roundId: string, entry: DigestLogEntry): Promise<void> {
    await this.pool.query('INSERT INTO digest_log (round_id, entry) VALUES ($1, $2::jsonb)', [
      roundId,
      JSON.stringify(entry),
    ]);
  }
}
