import type { Pool } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Round } from '../../content/schema.js';
import type { InterviewRecord } from '../../interview/types.js';
import {
  StaleWriteError,
  type AnswerStore,
  type DigestLogEntry,
  type InterviewText,
  type RoundCounters,
} from '../../ports/stores.js';
import { defined } from '../../defined.js';
import { exportCellsMaker, type ExportCellsMaker, type ExportContent } from '../../export/cells.js';
import { copyRows } from './copyRows.js';

/** Rows fetched per round trip when listing a round's interviews (an export of 60,000 streams in pages). */
const PAGE = 2000;

/** An export's COPY runs as long as its download takes (a slow network), up to this long. */
const COPY_TIMEOUT_MS = 15 * 60_000;

/**
 * A consent in one statement: the round's counter row is incremented (its row lock held for this statement only,
 * never across round trips) and the interview stored under the code it gives. A statement that fails rolls back as
 * a whole, so a consent whose interview cannot be stored uses up no code. $2 is the record's JSON without its code
 * and without the opening brace (recordTail): the code goes in first.
 */
const CREATE_INTERVIEW = `
  WITH counter AS (
    INSERT INTO round_counters (round_id, issued) VALUES ($1, 1)
    ON CONFLICT (round_id) DO UPDATE SET issued = round_counters.issued + 1
    RETURNING letter_code(issued - 1) AS code
  )
  INSERT INTO interviews (round_id, code, rev, data, completed)
  SELECT $1, counter.code, $3, ('{"code":' || to_json(counter.code)::text || ',' || $2)::json, $4 FROM counter
  ON CONFLICT (round_id, code) DO NOTHING
  RETURNING code`;

/**
 * What an export reads of an interview: its JSON, or (`key` given, a quoted literal) its cells where they were made
 * for that key, with a third column saying which.
 */
function columnsOf(key: string | null): string {
  if (key === null) return 'i.data';
  const made = `(i.export_key = ${key} AND i.export_cells IS NOT NULL)`;
  return `CASE WHEN ${made} THEN i.export_cells ELSE convert_to(i.data::text, 'UTF8') END, ${made} IS TRUE`;
}

/** The JSON of a record without its code, less the opening brace; never empty (a record has a round id). */
function recordTail(record: Omit<InterviewRecord, 'code'>): string {
  return JSON.stringify(record).slice(1);
}

/**
 * The answers store on PostgreSQL (DATABASE_URL). Every turn's operation is one statement or one short
 * transaction, so that any number of instances can share the database:
 * - createInterview is one statement (CREATE_INTERVIEW): codes are handed out in order and never twice, and a
 *   code whose interview could not be stored is not used up;
 * - saveInterview is one UPDATE by primary key that matches the expected rev: of two concurrent saves of one
 *   revision exactly one changes a row; the other gets StaleWriteError.
 */
export class PgAnswerStore implements AnswerStore {
  private cells: ExportCellsMaker | null = null;

  constructor(private readonly pool: Pool) {}

  async createInterview(roundId: string, build: (code: string) => InterviewRecord): Promise<InterviewRecord> {
    // The record is built before its code is known: the code goes into `code` and nowhere else (see AnswerStore).
    const { code: _unknown, ...rest } = { ...build(''), rev: 1 };
    const tail = recordTail(rest);
    for (;;) {
      const { rows } = await this.pool.query<{ code: string }>(CREATE_INTERVIEW, [
        roundId,
        tail,
        rest.rev,
        rest.completedAt != null,
      ]);
      // No row: the code was in use already (counters restored from an older copy); it goes to no one else.
      const [stored] = rows;
      if (stored) return { ...rest, code: stored.code };
    }
  }

  async getInterview(roundId: string, code: string): Promise<InterviewRecord | null> {
    const { rows } = await this.pool.query<{ data: InterviewRecord }>(
      'SELECT data FROM interviews WHERE round_id = $1 AND code = $2',
      [roundId, code],
    );
    return rows[0]?.data ?? null;
  }

  /** From now on every completed interview is saved with its export cells for this content (see ExportCells). */
  keepExportCells(content: ExportContent): void {
    this.cells = exportCellsMaker(content, (roundId) => this.getRound(roundId));
  }

  async saveInterview(record: InterviewRecord, expectedRev: number): Promise<void> {
    const made = record.completedAt != null && this.cells ? await this.cells(record) : null;
    const { rowCount } = await this.pool.query(
      `UPDATE interviews SET rev = $3, data = $4::json, completed = $6, export_key = $7, export_cells = $8
        WHERE round_id = $1 AND code = $2 AND rev = $5`,
      [
        record.roundId,
        record.code,
        record.rev,
        JSON.stringify(record),
        expectedRev,
        record.completedAt != null,
        made?.key ?? null,
        made?.cells ?? null,
      ],
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
    // One row holding every code (a JSON array, parsed once), not a row per interview: 60,000 rows cost more.
    const { rows } = await this.pool.query<{ codes: string[] }>(
      `SELECT coalesce(json_agg(code), '[]') AS codes FROM interviews WHERE round_id = $1 AND completed`,
      [roundId],
    );
    const codes = defined(rows[0], 'row of an aggregate').codes;
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
    for await (const { text } of this.interviewTexts(roundId, codes))
      yield JSON.parse(text.toString('utf8')) as InterviewRecord;
  }

  /**
   * The stored JSON of these interviews, in the order given, as bytes beside their codes (with cellsKey, the export
   * cells instead where they were made for that key): one `COPY (SELECT ...) TO STDOUT` (the codes joined WITH
   * ORDINALITY), read as it arrives, so rows come at the pace the reader takes them (the socket's backpressure) and
   * a few chunks are held, whatever the number. COPY takes no parameters: the codes (the store's own) and the key
   * (a hash) go in as quoted literals. The bench's export floor reads these and drops them.
   */
  async *interviewTexts(roundId: string, codes: string[], cellsKey?: string): AsyncIterable<InterviewText> {
    if (codes.length === 0) return;
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${COPY_TIMEOUT_MS}`);
      const stream = client.query(
        copyTo(
          `COPY (SELECT i.code, ${columnsOf(cellsKey === undefined ? null : client.escapeLiteral(cellsKey))}
                 FROM json_array_elements_text(${client.escapeLiteral(JSON.stringify(codes))}::json)
                 WITH ORDINALITY AS wanted(code, n)
               JOIN interviews i ON i.round_id = ${client.escapeLiteral(roundId)} AND i.code = wanted.code
              ORDER BY wanted.n) TO STDOUT (FORMAT binary)`,
        ),
      );
      try {
        for await (const [codeBytes, text, cells] of copyRows(stream, cellsKey === undefined ? 2 : 3)) {
          const code = defined(codeBytes, 'code column').toString('utf8');
          yield cells?.[0]
            ? { code, text: defined(text, 'cells column'), cells: true }
            : { code, text: defined(text, 'data column') };
        }
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
