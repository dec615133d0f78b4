import type { Competency, Deck, Guide, LocalText, Question, Round } from '../content/schema.js';
import type { AnswerValue, InterviewRecord } from '../interview/types.js';
import { compareLetterCodes, compareNumberCodes } from './codes.js';
import { ExportError } from './errors.js';
import { isPlainObject } from '../plainObject.js';

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

/** A question whose answers are answer rows: of a question step (not a choice: that is background), or a follow-up. */
export interface AnswerQuestion {
  step: string;
  question: Question;
  /** A follow-up choice's answer is written as its choice's Dutch label (the first choice of that id). */
  labels: ReadonlyMap<string, string> | null;
  /** Its place among all the guide's answer questions, for a writer's tables. */
  index: number;
}

/** The guide's steps that give answer rows, in guide order; a follow-up step's questions are asked per card. */
export interface AnswerStep {
  id: string;
  followUps: boolean;
  questions: AnswerQuestion[];
}

/** What the per-record checks and rows need: the round's content, not its interviews. */
export type RecordContext = Pick<ExportInput, 'round' | 'guide' | 'deck'> & {
  statements: Statement[];
  backgroundQuestions: BackgroundQuestion[];
  /** The deck's competency ids, for the check of every record. */
  statementIds: ReadonlySet<string>;
  /** Found once, so that a record's answer rows need no walk of the guide's question kinds. */
  answerSteps: AnswerStep[];
};

function labelsOf(question: Question, guide: Guide, round: Round): ReadonlyMap<string, string> | null {
  if (question.type !== 'choice') return null;
  const labels = new Map<string, string>();
  for (const c of choicesOf(question, guide, round)) if (!labels.has(c.id)) labels.set(c.id, c.label.nl);
  return labels;
}

function answerStepsOf(guide: Guide, round: Round): AnswerStep[] {
  let index = 0;
  const question = (step: string, q: Question): AnswerQuestion => ({
    step,
    question: q,
    labels: labelsOf(q, guide, round),
    index: index++,
  });
  return guide.steps.flatMap((step): AnswerStep[] => {
    // Choice answers of a question step are banded background: they stay with the letter code, never next to an R code.
    const questions =
      step.kind === 'questions'
        ? step.questions.filter((q) => q.type !== 'choice')
        : step.kind === 'followUps'
          ? step.questions
          : [];
    return questions.length
      ? [{ id: step.id, followUps: step.kind === 'followUps', questions: questions.map((q) => question(step.id, q)) }]
      : [];
  });
}

export function recordContext(input: Pick<ExportInput, 'round' | 'guide' | 'deck'>): RecordContext {
  const statements = statementsOf(input.deck);
  return {
    round: input.round,
    guide: input.guide,
    deck: input.deck,
    statements,
    backgroundQuestions: backgroundQuestionsOf(input.guide, input.round),
    statementIds: new Set(statements.map((s) => s.competency.id)),
    answerSteps: answerStepsOf(input.guide, input.round),
  };
}

/**
 * The part of a record's shape the export reads, which PostgreSQL does not check (a row changed by hand, a
 * restored dump): the field named, where a record of another shape would stop the export at a TypeError; and,
 * when the store said which code it holds the record under, the record's own code.
 */
function damagedField(r: unknown, storedUnder?: string): string | null {
  if (!isPlainObject(r)) return 'the record';
  if (storedUnder !== undefined && r.code !== storedUnder) return 'code';
  for (const field of ['placement', 'answers', 'followUps', 'consent'] as const)
    if (!isPlainObject(r[field])) return field;
  if (!Array.isArray(r.selection)) return 'selection';
  if (Object.values(r.answers as object).some((step) => !isPlainObject(step))) return 'answers';
  for (const followUp of Object.values(r.followUps as object))
    if (!isPlainObject(followUp) || !isPlainObject(followUp.answers)) return 'followUps';
  return null;
}

/**
 * Refuses a record an export may not write: damaged (or, with storedUnder, under another code than its own), not
 * completed, or placed outside the deck or the scale.
 */
export function checkRecord(ctx: RecordContext, r: InterviewRecord, storedUnder?: string): void {
  const damaged = damagedField(r, storedUnder);
  if (damaged) {
    const code = isPlainObject(r) && typeof r.code === 'string' ? r.code.slice(0, 8) : 'without a code';
    throw new ExportError(`interview ${code} is damaged in the store (${damaged}) and cannot be exported`);
  }
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

/** A banded answer as the background holds it: its text, or null when skipped. */
export function backgroundValue(b: BackgroundQuestion, r: InterviewRecord): string | null {
  const value = r.answers[b.step]?.[b.question.id];
  return present(value) ? String(value) : null;
}

export function backgroundRow(ctx: RecordContext, r: InterviewRecord): BackgroundRow {
  return {
    code: r.code,
    values: Object.fromEntries(ctx.backgroundQuestions.map((b) => [b.question.id, backgroundValue(b, r)])),
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

/**
 * Visits a record's answer rows in export order, without building them: the question steps' answers, then per
 * follow-up step each card the record followed up, in deck order (card: the index in ctx.statements, -1 for none).
 */
export function eachAnswer(
  ctx: RecordContext,
  record: InterviewRecord,
  visit: (question: AnswerQuestion, text: string, card: number, column: number | null) => void,
): void {
  const { statements } = ctx;
  for (const step of ctx.answerSteps) {
    if (!step.followUps) {
      const answers = record.answers[step.id];
      for (const q of step.questions) {
        const value = answers?.[q.question.id];
        if (present(value)) visit(q, String(value), -1, null);
      }
      continue;
    }
    for (let card = 0; card < statements.length; card++) {
      const followUp = record.followUps[statements[card]!.competency.id];
      if (!followUp) continue;
      for (const q of step.questions) {
        const value = followUp.answers[q.question.id];
        if (!present(value)) continue;
        const label = q.labels && typeof value === 'string' ? q.labels.get(value) : undefined;
        visit(q, label ?? String(value), card, followUp.column);
      }
    }
  }
}

export function answerRows(ctx: RecordContext, record: InterviewRecord, participant: string): AnswerRow[] {
  const rows: AnswerRow[] = [];
  const mayQuote = record.consent.quote;
  eachAnswer(ctx, record, (q, text, card, column) =>
    rows.push({
      participant,
      step: q.step,
      question: q.question.id,
      competency: card < 0 ? null : ctx.statements[card]!.competency.id,
      column,
      text,
      mayQuote,
    }),
  );
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
