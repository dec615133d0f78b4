import type { LocalText } from '../../content/schema.js';
import type { Locale } from '../../interview/types.js';
import { csvDocument, type Delimiter } from './csvText.js';
import type { ExportFile } from './file.js';
import type { ExportModel } from './model.js';

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

/**
 * Three files, so that no file holds both code spaces: background (letter), sorts and answers (R, long format with
 * the question's text beside its id, as coding in Atlas.ti needs); with a locale, a codebook as a fourth.
 */
export function csvFiles(model: ExportModel, options: CsvOptions): ExportFile[] {
  const { delimiter, locale } = options;
  const id = model.round.id;
  const { backgroundQuestions, statements } = model;
  const lang: Locale = locale ?? 'nl';
  const say = (text: LocalText) => text[lang];
  const codebook: string[][] = [];
  const named = (file: string, header: string, stableId: string, meaning: string) => {
    codebook.push([file, header, stableId, meaning]);
    return header;
  };
  const files = { background: `${id}-background.csv`, sorts: `${id}-sorts.csv`, answers: `${id}-answers.csv` };
  const column = (file: string, c: Column & keyof typeof HEADER) => named(file, locale ? HEADER[c][locale] : c, c, MEANING[c][lang]);

  const background = [
    [column(files.background, 'code'), ...backgroundQuestions.map((b) => named(files.background, locale ? say(b.question.text) : b.question.id, b.question.id, say(b.question.text)))],
    ...model.background.map((row) => [row.code, ...backgroundQuestions.map((b) => {
      const value = row.values[b.question.id];
      const choice = b.choices.find((c) => c.id === value);
      return value === null ? '' : choice ? say(choice.label) : value;
    })]),
  ];

  const sorts = [
    [column(files.sorts, 'participant'), ...statements.map((s) => named(files.sorts, say(s.competency.name), s.competency.id, MEANING.sortColumn[lang]))],
    ...model.sorts.map((row) => [row.participant, ...statements.map((s) => {
      const placed = row.placement[s.competency.id];
      return placed === undefined ? '' : placed;
    })]),
  ];

  const names = new Map(statements.map((s) => [s.competency.id, say(s.competency.name)]));
  const questionText = new Map(model.guide.steps.flatMap((step) => ('questions' in step ? step.questions.map((q) => [`${step.id}.${q.id}`, say(q.text)] as const) : [])));
  const answerColumns: (Column & keyof typeof HEADER)[] = ['participant', 'step', 'question', 'questionText', 'competency', 'column', 'text', 'mayQuote'];
  const answers = [
    answerColumns.map((c) => column(files.answers, c)),
    ...model.answers.map((a) => [
      a.participant, a.step, a.question,
      questionText.get(`${a.step}.${a.question}`) ?? '',
      a.competency === null ? '' : names.get(a.competency) ?? a.competency,
      a.column === null ? '' : a.column,
      a.text,
      HEADER[a.mayQuote ? 'yes' : 'no'][locale ?? 'en'],
    ]),
  ];

  const out: ExportFile[] = [
    { name: files.background, content: csvDocument(background, delimiter), contentType: CSV },
    { name: files.sorts, content: csvDocument(sorts, delimiter), contentType: CSV },
    { name: files.answers, content: csvDocument(answers, delimiter), contentType: CSV },
  ];
  if (locale) {
    const header = (['codebookFile', 'codebookColumn', 'codebookId', 'codebookMeaning'] as const).map((c) => HEADER[c][locale]);
    out.push({ name: `${id}-codebook.csv`, content: csvDocument([header, ...codebook], delimiter), contentType: CSV });
  }
  return out;
}

const CSV = 'text/csv; charset=utf-8';
