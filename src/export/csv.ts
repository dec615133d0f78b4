import type { LocalText } from '../content/schema.js';
import type { Locale } from '../interview/types.js';
import type { InterviewRecord } from '../interview/types.js';
import { BOM, csvField, csvLine, csvLines, EOL, type Cell, type Delimiter } from './csvText.js';
import { batchedSink, streamed, type Sink, type StreamedFile } from './file.js';
import { answerRows, backgroundRow, sortRow } from './model.js';
import { byNumber, type ExportPlan } from './plan.js';
import { defined } from '../defined.js';

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
 * shared by the two ways of writing them.
 */
function tables(plan: ExportPlan, options: CsvOptions) {
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
  // Every cell that is the same for many rows (labels, names, question texts) is quoted and neutralised once.
  const field = (value: Cell) => csvField(value, delimiter);
  const choiceFields = backgroundQuestions.map((b) => {
    const fields = new Map<string, string>();
    for (const c of b.choices) if (!fields.has(c.id)) fields.set(c.id, field(say(c.label)));
    return fields;
  });
  const competencyFields = new Map(statements.map((s) => [s.competency.id, field(say(s.competency.name))]));
  const questionFields = new Map(
    plan.guide.steps.flatMap((step) =>
      'questions' in step
        ? step.questions.map(
            (q) => [`${step.id}.${q.id}`, [field(step.id), field(q.id), field(say(q.text))].join(delimiter)] as const,
          )
        : [],
    ),
  );
  const mayQuoteFields = { yes: field(HEADER.yes[locale ?? 'en']), no: field(HEADER.no[locale ?? 'en']) };
  const line = (fields: string[]) => fields.join(delimiter) + EOL;

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
      header: backgroundHeader,
      line(record: InterviewRecord): string {
        const row = backgroundRow(plan, record);
        return line([
          field(row.code),
          ...backgroundQuestions.map((b, i) => {
            const value = defined(row.values[b.question.id], 'value of a background question');
            return value === null
              ? ''
              : (defined(choiceFields[i], 'choice fields of a question').get(value) ?? field(value));
          }),
        ]);
      },
    },
    sorts: {
      name: files.sorts,
      header: sortsHeader,
      line(record: InterviewRecord, participant: string): string {
        const row = sortRow(plan, record, participant);
        return line([
          field(row.participant),
          ...statements.map((s) => {
            const placed = row.placement[s.competency.id];
            return placed === undefined ? '' : String(placed);
          }),
        ]);
      },
    },
    answers: {
      name: files.answers,
      header: answersHeader,
      lines(record: InterviewRecord, participant: string): string {
        const who = field(participant);
        return answerRows(plan, record, participant)
          .map((a) =>
            line([
              who,
              questionFields.get(`${a.step}.${a.question}`) ?? [field(a.step), field(a.question), ''].join(delimiter),
              a.competency === null ? '' : (competencyFields.get(a.competency) ?? field(a.competency)),
              a.column === null ? '' : String(a.column),
              field(a.text),
              mayQuoteFields[a.mayQuote ? 'yes' : 'no'],
            ]),
          )
          .join('');
      },
    },
  };
}

/**
 * Three files, so that no file holds both code spaces: background (letter), sorts and answers (R, long format with
 * the question's text beside its id, as coding in Atlas.ti needs); with a locale, a codebook as a fourth. Each is
 * written while it is read (one download), from the store a page at a time, in its own order.
 */
export function csvFiles(plan: ExportPlan, options: CsvOptions): StreamedFile[] {
  const { delimiter } = options;
  const t = tables(plan, options);
  const head = (header: Cell[]) => BOM + csvLine(header, delimiter);
  async function* background(): AsyncIterable<string> {
    yield head(t.background.header);
    for await (const record of plan.read(plan.letters)) yield t.background.line(record);
  }
  async function* sorts(): AsyncIterable<string> {
    yield head(t.sorts.header);
    for await (const { record, participant } of byNumber(plan)) yield t.sorts.line(record, participant);
  }
  async function* answers(): AsyncIterable<string> {
    yield head(t.answers.header);
    for await (const { record, participant } of byNumber(plan)) yield t.answers.lines(record, participant);
  }
  const out = [
    streamed(t.background.name, background, CSV),
    streamed(t.sorts.name, sorts, CSV),
    streamed(t.answers.name, answers, CSV),
  ];
  const codebook = t.codebook;
  if (codebook) out.push(streamed(codebook.name, () => csvLines(codebook.rows, delimiter), CSV));
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
  const { delimiter } = options;
  const t = tables(plan, options);
  const rank = new Map(plan.letters.map((code, i) => [code, i]));
  const background = new Array<string>(plan.letters.length).fill('');
  const sorts = batchedSink(open(t.sorts.name));
  const answers = batchedSink(open(t.answers.name));
  await sorts.write(BOM + csvLine(t.sorts.header, delimiter));
  await answers.write(BOM + csvLine(t.answers.header, delimiter));
  for await (const { record, participant } of byNumber(plan)) {
    background[rank.get(record.code)!] = t.background.line(record);
    await sorts.write(t.sorts.line(record, participant));
    await answers.write(t.answers.lines(record, participant));
  }
  await Promise.all([sorts.end(), answers.end()]);
  const out = open(t.background.name);
  await out.write(BOM + csvLine(t.background.header, delimiter) + background.join(''));
  await out.end();
  if (t.codebook) {
    const book = open(t.codebook.name);
    await book.write(BOM + t.codebook.rows.map((row) => csvLine(row, delimiter)).join(''));
    await book.end();
  }
}
