import type { Competency, Deck, Guide, LocalText, Question, Round } from '../content/schema.js';
import type { AnswerValue, InterviewRecord } from '../interview/types.js';
import { compareLetterCodes, compareNumberCodes } from './codes.js';
import { ExportError } from './errors.js';

/** What every format writes, built once: the background under letter codes, sorts and answers under R codes. */
export interface ExportModel {
  round: Round;
  guide: Guide;
  deck: Deck;
  statements: Statement[];
  backgroundQuestions: BackgroundQuestion[];
  background: BackgroundRow[];
  sorts: SortRow[];
  answers: AnswerRow[];
}

export interface Statement {
  number: number;
  competency: Competency;
  cluster: { id: string; name: LocalText };
}

export interface BackgroundQuestion {
  step: string;
  question: Question & { type: 'choice' };
  choices: { id: string; label: LocalText }[];
}

/** Banded facts only (choice answers), per choice question id; null when skipped. */
export interface BackgroundRow {
  code: string;
  values: Record<string, string | null>;
}

export interface SortRow {
  participant: string;
  /** Competency id → column, in deck order. */
  placement: Record<string, number>;
  selection: string[];
}

/** One free-text, rating or follow-up answer, ready for coding. */
export interface AnswerRow {
  participant: string;
  step: string;
  question: string;
  competency: string | null;
  column: number | null;
  text: string;
  mayQuote: boolean;
}

export interface ExportInput {
  round: Round;
  guide: Guide;
  deck: Deck;
  /** Completed interviews only. */
  interviews: InterviewRecord[];
  /** Letter code → R code. */
  numbers: Map<string, string>;
}

export function statementsOf(deck: Deck): Statement[] {
  return deck.clusters
    .flatMap((cluster) =>
      cluster.competencies.map((competency) => ({ competency, cluster: { id: cluster.id, name: cluster.name } })),
    )
    .map((s, i) => ({ number: i + 1, ...s }));
}

export function choicesOf(
  question: Question & { type: 'choice' },
  guide: Guide,
  round: Round,
): { id: string; label: LocalText }[] {
  return question.choices === 'round:workAreas' ? round.workAreas : (guide.choiceLists[question.choices] ?? []);
}

/** The choice questions of the question steps: they are the banded background, filed under the letter code. */
export function backgroundQuestionsOf(guide: Guide, round: Round): BackgroundQuestion[] {
  return guide.steps.flatMap((step) =>
    step.kind === 'questions'
      ? step.questions
          .filter((q): q is Question & { type: 'choice' } => q.type === 'choice')
          .map((question) => ({ step: step.id, question, choices: choicesOf(question, guide, round) }))
      : [],
  );
}

function present(value: AnswerValue | undefined): value is string | number {
  // Most answers start with a visible ASCII character, so they are present: no trim called for them.
  if (typeof value === 'string' && value.length > 0) {
    const first = value.charCodeAt(0);
    if (first > 32 && first < 127) return true;
  }
  return value !== null && value !== undefined && String(value).trim() !== '';
}

/** What the per-record checks and rows need: the round's content, not its interviews. */
export type RecordContext = Pick<ExportInput, 'round' | 'guide' | 'deck'> & {
  statements: Statement[];
  backgroundQuestions: BackgroundQuestion[];
  /** The deck's competency ids, for the check of every record. */
  statementIds: ReadonlySet<string>;
};

export function recordContext(input: Pick<ExportInput, 'round' | 'guide' | 'deck'>): RecordContext {
  const statements = statementsOf(input.deck);
  return {
    round: input.round,
    guide: input.guide,
    deck: input.deck,
    statements,
    backgroundQuestions: backgroundQuestionsOf(input.guide, input.round),
    statementIds: new Set(statements.map((s) => s.competency.id)),
  };
}

/** Refuses a record an export may not write: not completed, or placed outside the deck or the scale. */
export function checkRecord(ctx: RecordContext, r: InterviewRecord): void {
  const { min, max } = ctx.guide.scale;
  if (!r.completedAt) throw new ExportError(`interview ${r.code} is not completed and may not be exported`);
  if (r.deckId !== ctx.deck.id)
    throw new ExportError(`interview ${r.code} used deck "${r.deckId}", the round uses "${ctx.deck.id}"`);
  const { placement } = r;
  // Keys, not entries: no pair array per card of every record.
  for (const id of Object.keys(placement)) {
    const column = placement[id];
    if (!ctx.statementIds.has(id))
      throw new ExportError(`interview ${r.code} placed "${id}", which is not in deck "${ctx.deck.id}"`);
    if (column === undefined || !Number.isInteger(column) || column < min || column > max)
      throw new ExportError(`interview ${r.code} placed "${id}" in column ${column}, outside ${min}..${max}`);
  }
}

export function backgroundRow(ctx: RecordContext, r: InterviewRecord): BackgroundRow {
  return {
    code: r.code,
    values: Object.fromEntries(
      ctx.backgroundQuestions.map(({ step, question }) => {
        const value = r.answers[step]?.[question.id];
        return [question.id, present(value) ? String(value) : null];
      }),
    ),
  };
}

export function sortRow(ctx: RecordContext, r: InterviewRecord, participant: string): SortRow {
  const placement: Record<string, number> = {};
  const selection: string[] = [];
  const selected = new Set(r.selection);
  for (const {
    competency: { id },
  } of ctx.statements) {
    const column = r.placement[id];
    if (column !== undefined) placement[id] = column;
    if (selected.has(id)) selection.push(id);
  }
  return { participant, placement, selection };
}

export function answerRows(input: RecordContext, record: InterviewRecord, participant: string): AnswerRow[] {
  const { statements } = input;
  const rows: AnswerRow[] = [];
  const mayQuote = record.consent.quote;
  for (const step of input.guide.steps) {
    if (step.kind === 'questions') {
      for (const q of step.questions) {
        const value = record.answers[step.id]?.[q.id];
        // Choice answers are banded background: they stay with the letter code, never next to an R code.
        if (q.type === 'choice' || !present(value)) continue;
        rows.push({
          participant,
          step: step.id,
          question: q.id,
          competency: null,
          column: null,
          text: String(value),
          mayQuote,
        });
      }
    } else if (step.kind === 'followUps') {
      for (const { competency } of statements) {
        const followUp = record.followUps[competency.id];
        if (!followUp) continue;
        for (const q of step.questions) {
          const value = followUp.answers[q.id];
          if (!present(value)) continue;
          const text =
            q.type === 'choice'
              ? (choicesOf(q, input.guide, input.round).find((c) => c.id === value)?.label.nl ?? String(value))
              : String(value);
          rows.push({
            participant,
            step: step.id,
            question: q.id,
            competency: competency.id,
            column: followUp.column,
            text,
            mayQuote,
          });
        }
      }
    }
  }
  return rows;
}

export function buildModel(input: ExportInput): ExportModel {
  const ctx = recordContext(input);
  for (const r of input.interviews) {
    checkRecord(ctx, r);
    if (!input.numbers.has(r.code)) throw new ExportError(`interview ${r.code} has no number code`);
  }

  const byLetter = [...input.interviews].sort((a, b) => compareLetterCodes(a.code, b.code));
  const background = byLetter.map((r) => backgroundRow(ctx, r));

  // Sorts and answers follow the R numbers, which follow random tokens: no order shared with the background.
  const byNumber = input.interviews
    .map((r) => ({ r, participant: input.numbers.get(r.code)! }))
    .sort((a, b) => compareNumberCodes(a.participant, b.participant));
  const sorts = byNumber.map(({ r, participant }) => sortRow(ctx, r, participant));
  const answers = byNumber.flatMap(({ r, participant }) => answerRows(ctx, r, participant));

  return { ...ctx, background, sorts, answers };
}
