import type { ExportFile } from './file.js';
import type { ExportModel } from './model.js';

export const JSON_SCHEMA = 'wijzer.export/1';

/**
 * One document. The background (letter codes) and the sorts and answers (R codes) are separate arrays in
 * different orders, and no element carries both codes.
 */
export function jsonFile(model: ExportModel): ExportFile {
  const { round, guide, deck } = model;
  const doc = {
    schema: JSON_SCHEMA,
    round: {
      id: round.id,
      name: round.name,
      status: round.status,
      audience: round.audience,
      opensAt: round.opensAt,
      closesAt: round.closesAt,
      openedAt: round.openedAt,
      closedAt: round.closedAt,
      guide: { id: guide.id, version: guide.version },
      deck: { id: deck.id, title: deck.title, source: deck.source },
      minCards: round.minCards ?? deck.minCards,
      extremeColumns: round.extremeColumns,
      scale: guide.scale,
      choices: Object.fromEntries(model.backgroundQuestions.map((b) => [b.question.id, b.choices])),
      questions: guide.steps.flatMap((step) => ('questions' in step
        ? step.questions.map((q) => ({ step: step.id, id: q.id, type: q.type, text: q.text }))
        : [])),
    },
    deck: model.statements.map((s) => ({
      number: s.number,
      id: s.competency.id,
      name: s.competency.name,
      description: s.competency.description,
      cluster: s.cluster,
    })),
    background: model.background.map((row) => ({ code: row.code, ...row.values })),
    sorts: model.sorts,
    answers: model.answers,
  };
  return { name: `${round.id}.json`, content: JSON.stringify(doc, null, 2) + '\n', contentType: 'application/json; charset=utf-8' };
}
