import type { Step } from '../content/schema.js';
import { cardsOf } from './deck.js';
import type { InterviewContext, InterviewRecord, Position } from './types.js';
import { defined } from '../defined.js';

/** The cards placed in an extreme column: the most fitting column first, then in deck order. */
export function extremeCards(
  ctx: InterviewContext,
  record: Pick<InterviewRecord, 'selection' | 'placement'>,
): string[] {
  const selected = new Set(record.selection);
  const cards: string[] = [];
  for (const column of [...ctx.round.extremeColumns].sort((a, b) => b - a)) {
    for (const card of cardsOf(ctx.deck))
      if (selected.has(card.id) && record.placement[card.id] === column) cards.push(card.id);
  }
  return cards;
}

type PagedStep = Extract<Step, { kind: 'qsortPick' | 'qsortPlace' }>;

/** Cards per pick or placement page: the step's page size, or fewer when the deck's descriptions are long. */
function pageSizeOf(ctx: InterviewContext, step: PagedStep): number {
  return Math.min(step.pageSize, ctx.deck.maxPerPage ?? step.pageSize);
}

/** The deck's cards offered on one page of the pick step, in deck order. */
export function pickPage(ctx: InterviewContext, step: Extract<Step, { kind: 'qsortPick' }>, index: number): string[] {
  const size = pageSizeOf(ctx, step);
  return cardsOf(ctx.deck)
    .map((c) => c.id)
    .slice(index * size, (index + 1) * size);
}

function pickPages(ctx: InterviewContext, step: Extract<Step, { kind: 'qsortPick' }>): number {
  return Math.max(1, Math.ceil(cardsOf(ctx.deck).length / pageSizeOf(ctx, step)));
}

/** The picked cards placed on one placement page, in deck order. */
export function placePage(
  ctx: InterviewContext,
  step: Extract<Step, { kind: 'qsortPlace' }>,
  record: Pick<InterviewRecord, 'selection'>,
  index: number,
): string[] {
  const size = pageSizeOf(ctx, step);
  return cardsOf(ctx.deck)
    .map((c) => c.id)
    .filter((id) => record.selection.includes(id))
    .slice(index * size, (index + 1) * size);
}

/** The last pick page is where the minimum of cards is checked: the pages before it may hold few or none. */
export function isLastPickPage(
  ctx: InterviewContext,
  step: Extract<Step, { kind: 'qsortPick' }>,
  index: number,
): boolean {
  return index >= pickPages(ctx, step) - 1;
}

function placePages(
  ctx: InterviewContext,
  step: Extract<Step, { kind: 'qsortPlace' }>,
  record: InterviewRecord,
): number {
  return Math.max(1, Math.ceil(record.selection.length / pageSizeOf(ctx, step)));
}

const quotedByStep = new WeakMap<Step, string[]>();

/** The steps whose answers a questions step's texts quote ("{{werk.rol}}"); guides never change while the bot runs. */
function quotedSteps(step: Extract<Step, { kind: 'questions' }>): string[] {
  let steps = quotedByStep.get(step);
  if (!steps) {
    const texts = [step.intro?.nl ?? '', ...step.questions.map((q) => q.text.nl)].join(' ');
    steps = [...new Set((texts.match(/\{\{(\w+)\.\w+\}\}/g) ?? []).map((ref) => ref.slice(2, ref.indexOf('.'))))];
    quotedByStep.set(step, steps);
  }
  return steps;
}

/** A questions step may quote earlier answers; it is skipped when none of them was given. */
function questionsApply(step: Step, record: InterviewRecord): boolean {
  if (step.kind !== 'questions') return true;
  return quotedSteps(step).every((id) => Object.values(record.answers[id] ?? {}).some((v) => v !== null && v !== ''));
}

/** How many positions a step has for this record: its pages or extreme cards; none for a skipped questions step. */
export function positionCount(ctx: InterviewContext, step: Step, record: InterviewRecord): number {
  if (step.kind === 'qsortPick') return pickPages(ctx, step);
  if (step.kind === 'qsortPlace') return placePages(ctx, step, record);
  if (step.kind === 'followUps') return extremeCards(ctx, record).length;
  return questionsApply(step, record) ? 1 : 0;
}

interface KnownPositions {
  guide: InterviewContext['guide'];
  deck: InterviewContext['deck'];
  round: InterviewContext['round'];
  list: readonly Position[];
}

/**
 * The last list made for a record's selection, placement and answers (objects a turn's new record shares with the
 * one it came from unless it changed them: the engine never changes a record in place). A turn asks for the
 * positions several times (where it is, where it goes next, its progress): they are made once.
 */
const known = new WeakMap<object, WeakMap<object, WeakMap<object, KnownPositions>>>();

function computedPositions(ctx: InterviewContext, record: InterviewRecord): Position[] {
  const steps = ctx.guide.steps;
  const start = steps.findIndex((s) => s.kind === 'consent') + 1;
  const out: Position[] = [];
  for (const step of steps.slice(start)) {
    const count = positionCount(ctx, step, record);
    for (let i = 0; i < count; i++) out.push({ step: step.id, index: i });
  }
  return out;
}

/** Every position after consent, in order; it depends on the record (selection size, extreme cards). */
export function positionsAfterConsent(ctx: InterviewContext, record: InterviewRecord): readonly Position[] {
  let byPlacement = known.get(record.selection);
  if (!byPlacement) known.set(record.selection, (byPlacement = new WeakMap()));
  let byAnswers = byPlacement.get(record.placement);
  if (!byAnswers) byPlacement.set(record.placement, (byAnswers = new WeakMap()));
  const hit = byAnswers.get(record.answers);
  if (hit && hit.guide === ctx.guide && hit.deck === ctx.deck && hit.round === ctx.round) return hit.list;
  const list = Object.freeze(computedPositions(ctx, record));
  byAnswers.set(record.answers, { guide: ctx.guide, deck: ctx.deck, round: ctx.round, list });
  return list;
}

/** The guide's schema ends every guide with a closing step, so the positions after consent are never empty. */
const AFTER_CONSENT = 'position after consent';

function indexOf(list: readonly Position[], pos: Position): number {
  return list.findIndex((p) => p.step === pos.step && p.index === pos.index);
}

export function nextPosition(ctx: InterviewContext, record: InterviewRecord): Position {
  const list = positionsAfterConsent(ctx, record);
  const i = indexOf(list, record.position);
  return defined(list[Math.min(i + 1, list.length - 1)], AFTER_CONSENT);
}

/** Null when the participant is at the first position after consent. */
export function previousPosition(ctx: InterviewContext, record: InterviewRecord): Position | null {
  const list = positionsAfterConsent(ctx, record);
  const i = indexOf(list, record.position);
  return i > 0 ? defined(list[i - 1], AFTER_CONSENT) : null;
}

export function firstPosition(ctx: InterviewContext, record: InterviewRecord): Position {
  return defined(positionsAfterConsent(ctx, record)[0], AFTER_CONSENT);
}

/** A position that no longer exists (fewer pages or extreme cards after a revision) falls back to the step's last one. */
export function normalisePosition(ctx: InterviewContext, record: InterviewRecord): Position {
  const list = positionsAfterConsent(ctx, record);
  if (indexOf(list, record.position) >= 0) return record.position;
  const sameStep = list.filter((p) => p.step === record.position.step);
  const lastOfStep = sameStep.at(-1);
  if (lastOfStep) return lastOfStep;
  const stepIndex = ctx.guide.steps.findIndex((s) => s.id === record.position.step);
  return (
    list.find((p) => ctx.guide.steps.findIndex((s) => s.id === p.step) > stepIndex) ??
    defined(list.at(-1), AFTER_CONSENT)
  );
}

export function stepOf(ctx: InterviewContext, id: string): Step {
  const step = ctx.guide.steps.find((s) => s.id === id);
  if (!step) throw new Error(`unknown step "${id}" in guide ${ctx.guide.id}`);
  return step;
}
