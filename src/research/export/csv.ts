import { csvLines, type Delimiter } from './csvText.js';
import { streamed, type StreamedFile } from './file.js';
import { answerRows, backgroundRow, sortRow } from './model.js';
import { byNumber, type ExportPlan } from './plan.js';

/**
 * Three files, so that no file holds both code spaces: background (letter), sorts and answers (R). Each is written
 * while it is read, from the store a page at a time.
 */
export function csvFiles(plan: ExportPlan, delimiter: Delimiter): StreamedFile[] {
  const id = plan.round.id;
  const { backgroundQuestions, statements } = plan;

  async function* background(): AsyncIterable<string[]> {
    yield ['code', ...backgroundQuestions.map((b) => b.question.id)];
    for await (const record of plan.read(plan.letters)) {
      const row = backgroundRow(plan, record);
      yield [row.code, ...backgroundQuestions.map((b) => {
        const value = row.values[b.question.id];
        return value === null ? '' : b.choices.find((c) => c.id === value)?.label.nl ?? value;
      })];
    }
  }

  async function* sorts(): AsyncIterable<string[]> {
    yield ['participant', ...statements.map((s) => s.competency.name.nl)];
    for await (const { record, participant } of byNumber(plan)) {
      const row = sortRow(plan, record, participant);
      yield [row.participant, ...statements.map((s) => {
        const column = row.placement[s.competency.id];
        return column === undefined ? '' : String(column);
      })];
    }
  }

  const names = new Map(statements.map((s) => [s.competency.id, s.competency.name.nl]));
  async function* answers(): AsyncIterable<string[]> {
    yield ['participant', 'step', 'question', 'competency', 'column', 'text', 'mayQuote'];
    for await (const { record, participant } of byNumber(plan)) {
      for (const a of answerRows(plan, record, participant)) {
        yield [
          a.participant, a.step, a.question,
          a.competency === null ? '' : names.get(a.competency) ?? a.competency,
          a.column === null ? '' : String(a.column),
          a.text,
          a.mayQuote ? 'yes' : 'no',
        ];
      }
    }
  }

  return [
    streamed(`${id}-background.csv`, () => csvLines(background(), delimiter)),
    streamed(`${id}-sorts.csv`, () => csvLines(sorts(), delimiter)),
    streamed(`${id}-answers.csv`, () => csvLines(answers(), delimiter)),
  ];
}
