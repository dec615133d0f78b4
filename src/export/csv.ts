import type { LocalText } from '../content/schema.js';
import type { Locale } from '../interview/types.js';
import type { InterviewRecord } from '../interview/types.js';
import { batchesOf, type ByteBatch, SinkBatches } from './byteBatch.js';
import type { InterviewText } from '../ports/stores.js';
import { ABSENT, backgroundSource, CELL_DELIMITERS, CELLS_VERSION, choiceIds, FREE } from './cells.js';
import { BOM, csvField, csvLine, csvLines, EOL, isPlainText, type Cell, type Delimiter } from './csvText.js';
import { ExportError } from './errors.js';
import { streamed, type Sink, type StreamedFile } from './file.js';
import { backgroundValue, checkRecord, eachAnswer, type AnswerQuestion, type RecordContext } from './model.js';
import { byNumber, letterRank, numberedTexts, type ExportPlan } from './plan.js';
import { RowsByRank } from './rowsByRank.js';

/** Column names for a researcher who reads them in their own language; the codebook maps them to the stable ids. */
const HEADER = {
  code: { nl: 'Lettercode', en: 'Letter code' },
  participant: { nl: 'Deelnemer', en: 'Participant' },
  step: { nl: 'Stap', en: 'Step' },
  question: { nl: 'Vraag-id', en: 'Question id' },
  questionText: { nl: 'Vraag', en: 'Question' },
  competency: { nl: 'Competentie', en: 'Competency' },
  column: { nl: 'Kolom', en: 'Column' },
  text: { nl: 'Antwoord', en: 'Answer' },
  mayQuote: { nl: 'Mag geciteerd worden', en: 'May be quoted' },
  yes: { nl: 'ja', en: 'yes' },
  no: { nl: 'nee', en: 'no' },
  codebookFile: { nl: 'Bestand', en: 'File' },
  codebookColumn: { nl: 'Kolom', en: 'Column' },
  codebookId: { nl: 'Vaste id (JSON-export)', en: 'Stable id (JSON export)' },
  codebookMeaning: { nl: 'Betekenis', en: 'Meaning' },
} as const satisfies Record<string, Record<Locale, string>>;

const MEANING = {
  code: {
    nl: 'Lettercode van het interview (A, B, ...), in volgorde van toestemming; niet te koppelen aan het R-nummer',
    en: 'Letter code of the interview (A, B, ...), in order of consent; cannot be linked to the R number',
  },
  participant: {
    nl: 'R-nummer van het interview (R1, R2, ...); niet te koppelen aan de lettercode',
    en: 'R number of the interview (R1, R2, ...); cannot be linked to the letter code',
  },
  step: { nl: 'Id van de stap in de interviewleidraad', en: 'Id of the step in the interview guide' },
  question: { nl: 'Id van de vraag in de interviewleidraad', en: 'Id of the question in the interview guide' },
  questionText: { nl: 'De vraag zoals de deelnemer hem las', en: 'The question as the participant read it' },
  competency: {
    nl: 'De competentie waar een vervolgvraag over ging (leeg bij andere vragen)',
    en: 'The competency a follow-up question was about (empty for other questions)',
  },
  column: {
    nl: 'De kolom (-3 tot +3) waarin de kaart lag (alleen bij vervolgvragen)',
    en: 'The column (-3 to +3) the card was in (follow-ups only)',
  },
  text: { nl: 'Het antwoord, geschoond', en: 'The answer, scrubbed' },
  mayQuote: { nl: 'Gaf toestemming om geciteerd te worden', en: 'Agreed to be quoted' },
  sortColumn: {
    nl: 'Kolom -3 tot +3 waarin de deelnemer deze kaart legde; leeg: niet gekozen',
    en: 'Column -3 to +3 the participant put this card in; empty: not picked',
  },
} as const satisfies Record<string, Record<Locale, string>>;

type Column = keyof typeof MEANING;

export interface CsvOptions {
  delimiter: Delimiter;
  /** Column names and labels in this language, with a codebook beside; without it the stable ids are the headers. */
  locale?: Locale;
}

const CSV = 'text/csv; charset=utf-8';

/**
 * The files' names and header rows (and the codebook, which follows from the headers), and the rows of one record:
 * shared by the ways of writing them (csvWorker.ts the third).
 */
export function csvTables(plan: RecordContext, options: CsvOptions) {
  const { locale, delimiter } = options;
  const id = plan.round.id;
  const { backgroundQuestions, statements } = plan;
  const lang: Locale = locale ?? 'nl';
  const say = (text: LocalText) => text[lang];
  const codebook: string[][] = [];
  const named = (file: string, header: string, stableId: string, meaning: string) => {
    codebook.push([file, header, stableId, meaning]);
    return header;
  };
  const files = { background: `${id}-background.csv`, sorts: `${id}-sorts.csv`, answers: `${id}-answers.csv` };
  const column = (file: string, c: Column & keyof typeof HEADER) =>
    named(file, locale ? HEADER[c][locale] : c, c, MEANING[c][lang]);

  const backgroundHeader = [
    column(files.background, 'code'),
    ...backgroundQuestions.map((b) =>
      named(files.background, locale ? say(b.question.text) : b.question.id, b.question.id, say(b.question.text)),
    ),
  ];
  const sortsHeader = [
    column(files.sorts, 'participant'),
    ...statements.map((s) => named(files.sorts, say(s.competency.name), s.competency.id, MEANING.sortColumn[lang])),
  ];
  const answerColumns: (Column & keyof typeof HEADER)[] = [
    'participant',
    'step',
    'question',
    'questionText',
    'competency',
    'column',
    'text',
    'mayQuote',
  ];
  const answersHeader = answerColumns.map((c) => column(files.answers, c));
  // Every cell that is the same for many rows (labels, names, question texts, columns) is quoted, neutralised and
  // encoded once, with the delimiter beside it; a row copies these bytes and encodes only its free text.
  const field = (value: Cell) => csvField(value, delimiter);
  const bytes = (text: string) => Buffer.from(text, 'utf8');
  const cell = (batch: ByteBatch, text: string) => batch.text(isPlainText(text, delimiter) ? text : field(text));
  const separator = delimiter.charCodeAt(0);
  const eol = bytes(EOL);
  const headOf = (header: Cell[]) => bytes(BOM + csvLine(header, delimiter));
  const choiceFields = backgroundQuestions.map((b) => {
    // A choice id listed twice shows its first label.
    const ids = choiceIds(b);
    const byIndex = ids.map((id) => bytes(delimiter + field(say(b.choices.find((c) => c.id === id)!.label))));
    const fields = new Map(ids.map((id, i) => [id, byIndex[i]!]));
    // Two steps asking the same question id share one value, the later step's, as in the background row.
    return { source: backgroundSource(backgroundQuestions, b), fields, byIndex };
  });
  const competencyFields = statements.map((s) => field(say(s.competency.name)));
  const { min, max } = plan.guide.scale;
  const width = max - min + 1;
  // The cells before an answer's text (step, question id, question, competency, column) for each answer question,
  // and for a follow-up each card and column on the scale, encoded once when first met: a row copies them in one go.
  const prefixes = plan.answerSteps.flatMap((s) => s.questions.map((): (Buffer | undefined)[] => []));
  const prefixOf = (q: AnswerQuestion, card: number, column: number | null): Buffer => {
    const onScale = column !== null && Number.isInteger(column) && column >= min && column <= max;
    const slot = card < 0 ? 0 : onScale ? 1 + card * width + column - min : -1;
    const known = slot < 0 ? undefined : prefixes[q.index]?.[slot];
    if (known) return known;
    const made = bytes(
      [
        field(q.step),
        field(q.question.id),
        field(say(q.question.text)),
        card < 0 ? '' : (competencyFields[card] ?? ''),
        column === null ? '' : String(column),
        '',
      ].join(delimiter),
    );
    if (slot >= 0) (prefixes[q.index] ??= [])[slot] = made;
    return made;
  };
  const mayQuoteFields = {
    yes: bytes(delimiter + field(HEADER.yes[locale ?? 'en']) + EOL),
    no: bytes(delimiter + field(HEADER.no[locale ?? 'en']) + EOL),
  };
  const columnFields = new Map(Array.from({ length: max - min + 1 }, (_, i) => [min + i, bytes(String(min + i))]));
  const columnCell = (batch: ByteBatch, value: number) => {
    const known = columnFields.get(value);
    if (known) batch.bytes(known);
    else batch.text(String(value));
  };
  const answerQuestions = plan.answerSteps.flatMap((s) => s.questions);
  const variant = CELL_DELIMITERS.indexOf(delimiter);

  return {
    codebook: locale
      ? {
          name: `${id}-codebook.csv`,
          rows: [
            (['codebookFile', 'codebookColumn', 'codebookId', 'codebookMeaning'] as const).map(
              (c) => HEADER[c][locale],
            ),
            ...codebook,
          ],
        }
      : null,
    background: {
      name: files.background,
      head: headOf(backgroundHeader),
      write: (batch: ByteBatch, record: InterviewRecord): void => {
        cell(batch, record.code);
        for (const { source, fields } of choiceFields) {
          const value = backgroundValue(source, record);
          const known = value === null ? undefined : fields.get(value);
          if (known) batch.bytes(known);
          else {
            batch.byte(separator);
            if (value !== null) cell(batch, value);
          }
        }
        batch.bytes(eol);
      },
    },
    sorts: {
      name: files.sorts,
      head: headOf(sortsHeader),
      write: (batch: ByteBatch, record: InterviewRecord, participant: string): void => {
        // The deck's cards in deck order, read from the record's placement: no sort row built per record.
        cell(batch, participant);
        for (const s of statements) {
          batch.byte(separator);
          const placed = record.placement[s.competency.id];
          if (placed !== undefined) columnCell(batch, placed);
        }
        batch.bytes(eol);
      },
    },
    answers: {
      name: files.answers,
      head: headOf(answersHeader),
      write: (batch: ByteBatch, record: InterviewRecord, participant: string): void => {
        const who = bytes(field(participant) + delimiter);
        const mayQuote = mayQuoteFields[record.consent.quote ? 'yes' : 'no'];
        eachAnswer(plan, record, (q, text, card, column) => {
          batch.bytes(who);
          batch.bytes(prefixOf(q, card, column));
          cell(batch, text);
          batch.bytes(mayQuote);
        });
      },
    },
    /**
     * An interview's lines from its cells (src/export/cells.ts), byte for byte those the writes above make from its
     * record; a file missing from `lines` is read past, not written (a download makes one file at a time). Cells
     * that do not read as cells of this content end the file as a damaged interview.
     */
    cells: (lines: Partial<CsvLines>, code: string, participant: string, cells: Buffer): void => {
      const { background, sorts, answers } = lines;
      const read = new CellReader(cells, code);
      if (read.u8() !== CELLS_VERSION) read.damaged('version');
      const mayQuote = mayQuoteFields[read.u8() ? 'yes' : 'no'];
      if (background) cell(background, code);
      for (const { byIndex } of choiceFields) {
        const index = read.i16();
        if (index < FREE) read.damaged('choice');
        const known = index >= 0 ? (byIndex[index] ?? read.damaged('choice')) : undefined;
        const free = index === FREE ? read.cell(variant) : undefined;
        if (!background) continue;
        if (known) background.bytes(known);
        else {
          background.byte(separator);
          if (free) background.bytes(free);
        }
      }
      background?.bytes(eol);
      if (sorts) cell(sorts, participant);
      for (let s = 0; s < statements.length; s++) {
        const column = read.i8();
        if (!sorts) continue;
        sorts.byte(separator);
        if (column !== ABSENT) columnCell(sorts, column);
      }
      sorts?.bytes(eol);
      const who = answers && bytes(field(participant) + delimiter);
      for (let n = read.u16(); n > 0; n--) {
        const q = answerQuestions[read.u16()] ?? read.damaged('question');
        const card = read.i16();
        if (card < -1 || card >= statements.length) read.damaged('card');
        const column = read.i8();
        const text = read.cell(variant);
        if (!answers || !who) continue;
        answers.bytes(who);
        answers.bytes(prefixOf(q, card, column === ABSENT ? null : column));
        answers.bytes(text);
        answers.bytes(mayQuote);
      }
      read.end();
    },
  };
}

/** Where an interview's lines go: a batch of each file. */
export interface CsvLines {
  background: ByteBatch;
  sorts: ByteBatch;
  answers: ByteBatch;
}

/**
 * An interview as the store handed it out (its cells, or its record's JSON, parsed and checked here), written to
 * the files in `lines`.
 */
export function writeStored(
  t: CsvTables,
  ctx: RecordContext,
  lines: Partial<CsvLines>,
  stored: InterviewText,
  participant: string,
): void {
  if (stored.cells) return t.cells(lines, stored.code, participant, stored.text);
  const record = JSON.parse(stored.text.toString('utf8')) as InterviewRecord;
  checkRecord(ctx, record, stored.code);
  if (lines.background) t.background.write(lines.background, record);
  if (lines.sorts) t.sorts.write(lines.sorts, record, participant);
  if (lines.answers) t.answers.write(lines.answers, record, participant);
}

/**
 * Three files, so that no file holds both code spaces: background (letter), sorts and answers (R, long format with
 * the question's text beside its id, as coding in Atlas.ti needs); with a locale, a codebook as a fourth. Each is
 * written while it is read (one download), from the store a page at a time, in its own order.
 */
export function csvFiles(plan: ExportPlan, options: CsvOptions): StreamedFile[] {
  const t = csvTables(plan, options);
  const file = (name: string, chunks: () => AsyncIterable<Buffer>): StreamedFile => ({
    name,
    contentType: CSV,
    chunks,
  });
  const { texts } = plan;
  // Where the store hands out text (PostgreSQL), each file is written from it: an interview's cells, where it has
  // them, are copied, not parsed.
  const out = texts
    ? [
        file(t.background.name, () =>
          batchesOf(t.background.head, texts(plan.letters), (batch, s) =>
            writeStored(t, plan, { background: batch }, s, ''),
          ),
        ),
        file(t.sorts.name, () =>
          batchesOf(t.sorts.head, numberedTexts(plan, texts), (batch, n) =>
            writeStored(t, plan, { sorts: batch }, n.stored, n.participant),
          ),
        ),
        file(t.answers.name, () =>
          batchesOf(t.answers.head, numberedTexts(plan, texts), (batch, n) =>
            writeStored(t, plan, { answers: batch }, n.stored, n.participant),
          ),
        ),
      ]
    : [
        file(t.background.name, () =>
          batchesOf(t.background.head, plan.read(plan.letters), (batch, record) => t.background.write(batch, record)),
        ),
        file(t.sorts.name, () =>
          batchesOf(t.sorts.head, byNumber(plan), (batch, n) => t.sorts.write(batch, n.record, n.participant)),
        ),
        file(t.answers.name, () =>
          batchesOf(t.answers.head, byNumber(plan), (batch, n) => t.answers.write(batch, n.record, n.participant)),
        ),
      ];
  const codebook = t.codebook;
  if (codebook) out.push(streamed(codebook.name, () => csvLines(codebook.rows, options.delimiter), CSV));
  return out;
}

/**
 * The files from one read of the store, in R order (the CLI writes them all at once): sorts and answers are
 * written as the records arrive, in batches. The background lines (banded choices only, some tens of bytes an
 * interview, never free text) are held by letter rank and written in letter order at the end.
 */
export async function writeCsvFiles(
  plan: ExportPlan,
  options: CsvOptions,
  open: (name: string) => Sink,
): Promise<void> {
  const t = csvTables(plan, options);
  const background = new RowsByRank(plan.letters.length);
  const files = [
    { out: new SinkBatches(open(t.sorts.name)), write: t.sorts.write, head: t.sorts.head },
    { out: new SinkBatches(open(t.answers.name)), write: t.answers.write, head: t.answers.head },
  ];
  for (const f of files) f.out.batch.bytes(f.head);
  for await (const { record, participant } of byNumber(plan)) {
    background.add(letterRank(plan, record.code), (batch) => t.background.write(batch, record));
    for (const f of files) {
      f.write(f.out.batch, record, participant);
      if (f.out.batch.full) await f.out.flush();
    }
  }
  await Promise.all(files.map((f) => f.out.end()));
  await writeLastFiles(t, background, options, open);
}

export type CsvTables = ReturnType<typeof csvTables>;

/** Reads cells as src/export/cells.ts writes them, every read within them. */
class CellReader {
  private at = 0;

  constructor(
    private readonly cells: Buffer,
    private readonly code: string,
  ) {}

  damaged(what: string): never {
    throw new ExportError(
      `interview ${this.code.slice(0, 8)} is damaged in the store (its export cells: ${what}) and cannot be exported`,
    );
  }

  private take(size: number): number {
    if (this.at + size > this.cells.length) this.damaged('cut short');
    const at = this.at;
    this.at += size;
    return at;
  }

  u8 = () => this.cells.readUInt8(this.take(1));
  i8 = () => this.cells.readInt8(this.take(1));
  u16 = () => this.cells.readUInt16BE(this.take(2));
  i16 = () => this.cells.readInt16BE(this.take(2));

  /** A cell's bytes for the delimiter at `variant`, not copied. */
  cell(variant: number): Buffer {
    const variants = this.u8();
    if (variants !== 1 && variants !== 2) this.damaged('cell');
    let chosen: Buffer | undefined;
    for (let v = 0; v < variants; v++) {
      const length = this.cells.readUInt32BE(this.take(4));
      const at = this.take(length);
      if (v === Math.min(variant, variants - 1)) chosen = this.cells.subarray(at, at + length);
    }
    return chosen!;
  }

  end(): void {
    if (this.at !== this.cells.length) this.damaged('bytes left over');
  }
}

/** The background, its lines held until all were read, and the codebook: the files written last. */
export async function writeLastFiles(
  t: CsvTables,
  background: RowsByRank,
  options: CsvOptions,
  open: (name: string) => Sink,
): Promise<void> {
  const out = open(t.background.name);
  for (const chunk of background.inOrder(t.background.head)) await out.write(chunk);
  await out.end();
  if (t.codebook) {
    const book = open(t.codebook.name);
    await book.write(BOM + t.codebook.rows.map((row) => csvLine(row, options.delimiter)).join(''));
    await book.end();
  }
}
