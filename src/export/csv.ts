import type { LocalText } from '../content/schema.js';
import type { Locale } from '../interview/types.js';
import type { InterviewRecord } from '../interview/types.js';
import { BOM, csvLine, csvLines, type Cell, type Delimiter } from './csvText.js';
import { streamed, type Sink, type StreamedFile } from './file.js';
import { answerRows, backgroundRow, sortRow } from './model.js';
import { byNumber, type ExportPlan } from './plan.js';

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
  code: { nl: 'Lettercode van het interview (A, B, ...), in volgorde van toestemming; niet te koppelen aan het R-nummer', en: 'Letter code of the interview (A, B, ...), in order of consent; cannot be linked to the R number' },
  participant: { nl: 'R-nummer van het interview (R1, R2, ...); niet te koppelen aan de lettercode', en: 'R number of the interview (R1, R2, ...); cannot be linked to the letter code' },
  step: { nl: 'Id van de stap in de interviewleidraad', en: 'Id of the step in the interview guide' },
  question: { nl: 'Id van de vraag in de interviewleidraad', en: 'Id of the question in the interview guide' },
  questionText: { nl: 'De vraag zoals de deelnemer hem las', en: 'The question as the participant read it' },
  competency: { nl: 'De competentie waar een vervolgvraag over ging (leeg bij andere vragen)', en: 'The competency a follow-up question was about (empty for other questions)' },
  column: { nl: 'De kolom (-3 tot +3) waarin de kaart lag (alleen bij vervolgvragen)', en: 'The column (-3 to +3) the card was in (follow-ups only)' },
  text: { nl: 'Het antwoord, geschoond', en: 'The answer, scrubbed' },
  mayQuote: { nl: 'Gaf toestemming om geciteerd te worden', en: 'Agreed to be quoted' },
  sortColumn: { nl: 'Kolom -3 tot +3 waarin de deelnemer deze kaart legde; leeg: niet gekozen', en: 'Column -3 to +3 the participant put this card in; empty: not picked' },
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
  const { locale } = options;
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
  const column = (file: string, c: Column & keyof typeof HEADER) => named(file, locale ? HEADER[c][locale] : c, c, MEANING[c][lang]);

  const backgroundHeader = [column(files.background, 'code'), ...backgroundQuestions.map((b) => named(files.background, locale ? say(b.question.text) : b.question.id, b.question.id, say(b.question.text)))];
  const sortsHeader = [column(files.sorts, 'participant'), ...statements.map((s) => named(files.sorts, say(s.competency.name), s.competency.id, MEANING.sortColumn[lang]))];
  const answerColumns: (Column & keyof typeof HEADER)[] = ['participant', 'step', 'question', 'questionText', 'competency', 'column', 'text', 'mayQuote'];
  const answersHeader = answerColumns.map((c) => column(files.answers, c));
  const names = new Map(statements.map((s) => [s.competency.id, say(s.competency.name)]));
  const questionText = new Map(plan.guide.steps.flatMap((step) => ('questions' in step ? step.questions.map((q) => [`${step.id}.${q.id}`, say(q.text)] as const) : [])));

  return {
    codebook: locale
      ? { name: `${id}-codebook.csv`, rows: [(['codebookFile', 'codebookColumn', 'codebookId', 'codebookMeaning'] as const).map((c) => HEADER[c][locale]), ...codebook] }
      : null,
    background: {
      name: files.background,
      header: backgroundHeader,
      rows(record: InterviewRecord): Cell[] {
        const row = backgroundRow(plan, record);
        return [row.code, ...backgroundQuestions.map((b) => {
          const value = row.values[b.question.id];
          const choice = b.choices.find((c) => c.id === value);
          return value === null ? '' : choice ? say(choice.label) : value;
        })];
      },
    },
    sorts: {
      name: files.sorts,
      header: sortsHeader,
      rows(record: InterviewRecord, participant: string): Cell[] {
        const row = sortRow(plan, record, participant);
        return [row.participant, ...statements.map((s) => {
          const placed = row.placement[s.competency.id];
          return placed === undefined ? '' : placed;
        })];
      },
    },
    answers: {
      name: files.answers,
      header: answersHeader,
      rows(record: InterviewRecord, participant: string): Cell[][] {
        return answerRows(plan, record, participant).map((a) => [
          a.participant, a.step, a.question,
          questionText.get(`${a.step}.${a.question}`) ?? '',
          a.competency === null ? '' : names.get(a.competency) ?? a.competency,
          a.column === null ? '' : a.column,
          a.text,
          HEADER[a.mayQuote ? 'yes' : 'no'][locale ?? 'en'],
        ]);
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
  async function* background(): AsyncIterable<Cell[]> {
    yield t.background.header;
    for await (const record of plan.read(plan.letters)) yield t.background.rows(record);
  }
  async function* sorts(): AsyncIterable<Cell[]> {
    yield t.sorts.header;
    for await (const { record, participant } of byNumber(plan)) yield t.sorts.rows(record, participant);
  }
  async function* answers(): AsyncIterable<Cell[]> {
    yield t.answers.header;
    for await (const { record, participant } of byNumber(plan)) yield* t.answers.rows(record, participant);
  }
  const out = [
    streamed(t.background.name, () => csvLines(background(), delimiter), CSV),
    streamed(t.sorts.name, () => csvLines(sorts(), delimiter), CSV),
    streamed(t.answers.name, () => csvLines(answers(), delimiter), CSV),
  ];
  const codebook = t.codebook;
  if (codebook) out.push(streamed(codebook.name, () => csvLines(codebook.rows, delimiter), CSV));
  return out;
}

/**
 * The files from one read of the store, in R order (the CLI writes them all at once): sorts and answers are
 * written as the records arrive. The background lines (banded choices only, some tens of bytes an interview,
 * never free text) are held by letter rank and written in letter order at the end.
 */
export async function writeCsvFiles(plan: ExportPlan, options: CsvOptions, open: (name: string) => Sink): Promise<void> {
  const { delimiter } = options;
  const t = tables(plan, options);
  const rank = new Map(plan.letters.map((code, i) => [code, i]));
  const background = new Array<string>(plan.letters.length).fill('');
  const sorts = open(t.sorts.name);
  const answers = open(t.answers.name);
  await sorts.write(BOM + csvLine(t.sorts.header, delimiter));
  await answers.write(BOM + csvLine(t.answers.header, delimiter));
  for await (const { record, participant } of byNumber(plan)) {
    background[rank.get(record.code)!] = csvLine(t.background.rows(record), delimiter);
    await sorts.write(csvLine(t.sorts.rows(record, participant), delimiter));
    await answers.write(t.answers.rows(record, participant).map((row) => csvLine(row, delimiter)).join(''));
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
