import { streamed, type StreamedFile } from './file.js';
import { answerRows, backgroundRow, sortRow } from './model.js';
import { byNumber, type ExportPlan } from './plan.js';

export const JSON_SCHEMA = 'wijzer.export/1';

/** The elements of an array that is the value of a top-level key, laid out as JSON.stringify(doc, null, 2) would. */
async function* array(key: string, elements: AsyncIterable<unknown>, last: boolean): AsyncIterable<string> {
  let first = true;
  for await (const element of elements) {
    yield `${first ? `  ${JSON.stringify(key)}: [\n` : ',\n'}    ${JSON.stringify(element, null, 2).replace(/\n/g, '\n    ')}`;
    first = false;
  }
  yield `${first ? `  ${JSON.stringify(key)}: []` : '\n  ]'}${last ? '\n' : ',\n'}`;
}

/**
 * One document, written while it is read. The background (letter codes) and the sorts and answers (R codes) are
 * separate arrays in different orders, and no element carries both codes.
 */
export function jsonFile(plan: ExportPlan): StreamedFile {
  const { round, guide, deck } = plan;
  const head = {
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
      choices: Object.fromEntries(plan.backgroundQuestions.map((b) => [b.question.id, b.choices])),
      questions: guide.steps.flatMap((step) =>
        'questions' in step ? step.questions.map((q) => ({ step: step.id, id: q.id, type: q.type, text: q.text })) : [],
      ),
    },
    deck: plan.statements.map((s) => ({
      number: s.number,
      id: s.competency.id,
      name: s.competency.name,
      description: s.competency.description,
      cluster: s.cluster,
    })),
  };

  async function* background(): AsyncIterable<unknown> {
    for await (const record of plan.read(plan.letters)) {
      const row = backgroundRow(plan, record);
      yield { code: row.code, ...row.values };
    }
  }
  async function* sorts(): AsyncIterable<unknown> {
    for await (const { record, participant } of byNumber(plan)) yield sortRow(plan, record, participant);
  }
  async function* answers(): AsyncIterable<unknown> {
    for await (const { record, participant } of byNumber(plan)) yield* answerRows(plan, record, participant);
  }

  return streamed(
    `${round.id}.json`,
    async function* () {
      // The head as JSON.stringify lays it out, its closing brace left off: the three arrays follow.
      yield JSON.stringify(head, null, 2).replace(/\n}$/, ',\n');
      yield* array('background', background(), false);
      yield* array('sorts', sorts(), false);
      yield* array('answers', answers(), true);
      yield '}\n';
    },
    'application/json; charset=utf-8',
  );
}
