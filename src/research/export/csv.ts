import { csvDocument, type Delimiter } from './csvText.js';
import type { ExportFile } from './file.js';
import type { ExportModel } from './model.js';

/** Three files, so that no file holds both code spaces: background (letter), sorts and answers (R). */
export function csvFiles(model: ExportModel, delimiter: Delimiter): ExportFile[] {
  const id = model.round.id;
  const { backgroundQuestions, statements } = model;

  const background = [
    ['code', ...backgroundQuestions.map((b) => b.question.id)],
    ...model.background.map((row) => [row.code, ...backgroundQuestions.map((b) => {
      const value = row.values[b.question.id];
      return value === null ? '' : b.choices.find((c) => c.id === value)?.label.nl ?? value;
    })]),
  ];

  const sorts = [
    ['participant', ...statements.map((s) => s.competency.name.nl)],
    ...model.sorts.map((row) => [row.participant, ...statements.map((s) => {
      const column = row.placement[s.competency.id];
      return column === undefined ? '' : column;
    })]),
  ];

  const names = new Map(statements.map((s) => [s.competency.id, s.competency.name.nl]));
  const answers = [
    ['participant', 'step', 'question', 'competency', 'column', 'text', 'mayQuote'],
    ...model.answers.map((a) => [
      a.participant, a.step, a.question,
      a.competency === null ? '' : names.get(a.competency) ?? a.competency,
      a.column === null ? '' : a.column,
      a.text,
      a.mayQuote ? 'yes' : 'no',
    ]),
  ];

  return [
    { name: `${id}-background.csv`, content: csvDocument(background, delimiter) },
    { name: `${id}-sorts.csv`, content: csvDocument(sorts, delimiter) },
    { name: `${id}-answers.csv`, content: csvDocument(answers, delimiter) },
  ];
}
