import { BOM, csvLine, csvLines, type Cell, type Delimiter } from './csvText.js';
import { streamed, type Sink, type StreamedFile } from './file.js';
import { answerRows, backgroundRow, sortRow } from './model.js';
import { byNumber, type ExportPlan } from './plan.js';
import type { InterviewRecord } from '../../interview/types.js';

/** The three files' names, header rows and the rows of one record, shared by the two ways of writing them. */
function tables(plan: ExportPlan) {
  const id = plan.round.id;
  const { backgroundQuestions, statements } = plan;
  const names = new Map(statements.map((s) => [s.competency.id, s.competency.name.nl]));
  return {
    background: {
      name: `${id}-background.csv`,
      header: ['code', ...backgroundQuestions.map((b) => b.question.id)],
      rows(record: InterviewRecord): string[] {
        const row = backgroundRow(plan, record);
        return [row.code, ...backgroundQuestions.map((b) => {
          const value = row.values[b.question.id];
          return value === null ? '' : b.choices.find((c) => c.id === value)?.label.nl ?? value;
        })];
      },
    },
    sorts: {
      name: `${id}-sorts.csv`,
      header: ['participant', ...statements.map((s) => s.competency.name.nl)],
      rows(record: InterviewRecord, participant: string): Cell[] {
        const row = sortRow(plan, record, participant);
        return [row.participant, ...statements.map((s) => {
          const column = row.placement[s.competency.id];
          return column === undefined ? '' : column;
        })];
      },
    },
    answers: {
      name: `${id}-answers.csv`,
      header: ['participant', 'step', 'question', 'competency', 'column', 'text', 'mayQuote'],
      rows(record: InterviewRecord, participant: string): Cell[][] {
        return answerRows(plan, record, participant).map((a) => [
          a.participant, a.step, a.question,
          a.competency === null ? '' : names.get(a.competency) ?? a.competency,
          a.column === null ? '' : a.column,
          a.text,
          a.mayQuote ? 'yes' : 'no',
        ]);
      },
    },
  };
}

/**
 * Three files, so that no file holds both code spaces: background (letter), sorts and answers (R). Each is written
 * while it is read (one download), from the store a page at a time, in its own order.
 */
export function csvFiles(plan: ExportPlan, delimiter: Delimiter): StreamedFile[] {
  const t = tables(plan);
  async function* background(): AsyncIterable<string[]> {
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
  return [
    streamed(t.background.name, () => csvLines(background(), delimiter)),
    streamed(t.sorts.name, () => csvLines(sorts(), delimiter)),
    streamed(t.answers.name, () => csvLines(answers(), delimiter)),
  ];
}

/**
 * The three files from one read of the store, in R order (the CLI writes all three at once): sorts and answers
 * are written as the records arrive. The background lines (banded choices only, some tens of bytes an interview,
 * never free text) are held by letter rank and written in letter order at the end.
 */
export async function writeCsvFiles(plan: ExportPlan, delimiter: Delimiter, open: (name: string) => Sink): Promise<void> {
  const t = tables(plan);
  const rank = new Map(plan.letters.map((code, i) => [code, i]));
  const background: string[] = new Array(plan.letters.length).fill('');
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
}
