import { createHash } from 'node:crypto';
import type { Content } from '../content/load.js';
import type { Round } from '../content/schema.js';
import type { InterviewRecord } from '../interview/types.js';
import { csvField, type Delimiter } from './csvText.js';
import { ExportError } from './errors.js';
import {
  backgroundValue,
  checkRecord,
  eachAnswer,
  recordContext,
  type BackgroundQuestion,
  type RecordContext,
} from './model.js';

/**
 * A completed interview's CSV cells, made once when it is saved (PostgreSQL keeps them beside the record): the CLI's
 * CSV export then copies their bytes, where it would otherwise parse some 4 KB of JSON an interview and write every
 * cell again (two thirds of its time). Only what depends on the interview is in them: its choices (as indexes),
 * columns, answers' places and their texts as finished cells for either delimiter; never its code, R number, the
 * locale's labels or texts. They are made for one guide, deck and set of work areas (cellsKey): an export for any
 * other reads the record instead.
 *
 *   u8 version · u8 may quote · per background question i16 (choice index, NO_VALUE, or FREE and a cell)
 *   · per card i8 column (ABSENT) · u16 answers, each u16 question index, i16 card (-1: none), i8 column (ABSENT)
 *     and a cell · a cell: u8 1 (the same for both delimiters) or 2, then per variant u32 length and UTF-8 bytes
 */
export const CELLS_VERSION = 1;
export const NO_VALUE = -1;
export const FREE = -2;
/** No column: a card not placed, an answer not about a card. */
export const ABSENT = -128;
/** The delimiters in the order their cells are kept. */
export const CELL_DELIMITERS: readonly Delimiter[] = [';', ','];

/** The same guide, deck and work areas give the same key; anything else they depend on is in the version. */
export function cellsKey(ctx: RecordContext): string {
  const made = JSON.stringify([CELLS_VERSION, ctx.guide, ctx.deck, ctx.round.workAreas]);
  return createHash('sha256').update(made).digest('base64url');
}

/** The question whose answer a background column shows: of two steps asking the same id, the later one's. */
export function backgroundSource(questions: BackgroundQuestion[], b: BackgroundQuestion): BackgroundQuestion {
  return [...questions].reverse().find((other) => other.question.id === b.question.id) ?? b;
}

/** A choice question's choice ids, each once, in the order of its list: the indexes the cells keep. */
export function choiceIds(b: BackgroundQuestion): string[] {
  return [...new Set(b.choices.map((c) => c.id))];
}

class CellWriter {
  private readonly parts: Buffer[] = [];

  private fixed(size: number, put: (b: Buffer) => void): void {
    const b = Buffer.alloc(size);
    put(b);
    this.parts.push(b);
  }

  u8 = (v: number) => this.fixed(1, (b) => b.writeUInt8(v));
  i8 = (v: number) => this.fixed(1, (b) => b.writeInt8(v));
  u16 = (v: number) => this.fixed(2, (b) => b.writeUInt16BE(v));
  i16 = (v: number) => this.fixed(2, (b) => b.writeInt16BE(v));

  cell(text: string): void {
    const [first, second] = CELL_DELIMITERS.map((d) => csvField(text, d));
    const variants = first === second ? [first!] : [first!, second!];
    this.u8(variants.length);
    for (const v of variants) {
      const bytes = Buffer.from(v, 'utf8');
      this.fixed(4, (b) => b.writeUInt32BE(bytes.length));
      this.parts.push(bytes);
    }
  }

  done = (): Buffer => Buffer.concat(this.parts);
}

/** A column as a cell keeps it (ABSENT for none), or null when it is not a whole number an i8 holds. */
const asColumn = (value: number | null | undefined): number | null =>
  value === null || value === undefined
    ? ABSENT
    : Number.isInteger(value) && value > ABSENT && value < 128
      ? value
      : null;

/**
 * The cells of a record the export would write, or null when it would refuse it (not completed, damaged) or keeps
 * a column no cell can hold: the export then reads the record, and says what is wrong with it.
 */
export function encodeCells(ctx: RecordContext, record: InterviewRecord): Buffer | null {
  try {
    checkRecord(ctx, record);
  } catch (err) {
    if (err instanceof ExportError) return null;
    throw err;
  }
  const out = new CellWriter();
  out.u8(CELLS_VERSION);
  out.u8(record.consent.quote ? 1 : 0);
  for (const b of ctx.backgroundQuestions) {
    const value = backgroundValue(backgroundSource(ctx.backgroundQuestions, b), record);
    const index = value === null ? NO_VALUE : choiceIds(b).indexOf(value);
    if (value !== null && index < 0) {
      out.i16(FREE);
      out.cell(value);
    } else out.i16(index);
  }
  const columns = ctx.statements.map((s) => asColumn(record.placement[s.competency.id]));
  const answers: { question: number; card: number; column: number | null; text: string }[] = [];
  eachAnswer(ctx, record, (q, text, card, column) =>
    answers.push({ question: q.index, card, column: asColumn(column), text }),
  );
  if (columns.includes(null) || answers.some((a) => a.column === null) || answers.length > 0xffff) return null;
  for (const c of columns) out.i8(c!);
  out.u16(answers.length);
  for (const a of answers) {
    out.u16(a.question);
    out.i16(a.card);
    out.i8(a.column!);
    out.cell(a.text);
  }
  return out.done();
}

/** The content an export of a round reads: its guide and deck, by the ids the round names. */
export type ExportContent = Pick<Content, 'guides' | 'decks'>;

/** A completed interview's cells and the key of the content they were made for; null: the export reads its record. */
export type ExportCellsMaker = (record: InterviewRecord) => Promise<{ key: string; cells: Buffer } | null>;

/**
 * Makes the cells of a record as an export of its round would read it: the round as stored now (its work areas),
 * its guide and deck from this content. A round or content the export would not find gives none.
 */
export function exportCellsMaker(
  content: ExportContent,
  getRound: (roundId: string) => Promise<Round | null>,
): ExportCellsMaker {
  return async (record) => {
    const round = await getRound(record.roundId);
    const guide = round && content.guides.get(round.guide);
    const deck = round && content.decks.get(round.deck);
    if (!round || !guide || !deck) return null;
    const ctx = recordContext({ round, guide, deck });
    const cells = encodeCells(ctx, record);
    return cells && { key: cellsKey(ctx), cells };
  };
}
