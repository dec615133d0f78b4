import type { Question } from '../content/schema.js';
import { cardsOf, minCardsOf } from './deck.js';
import { participantText } from './messages.js';
import { scrub } from './scrub.js';
import { localize } from './text.js';
import type { Answers, InterviewContext, InterviewRecord } from './types.js';
import { cardName, choiceListOf, varsOf } from './views.js';

/** A problem with what a card sent, phrased for the participant. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = <T>(problem: string): Checked<T> => ({ ok: false, problem });

function inputsOf(data: Record<string, unknown>, prefix: string): Map<string, unknown> {
  return new Map(
    Object.entries(data)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
}

function onlyKnown(inputs: Map<string, unknown>, known: Set<string>): inputs is Map<string, string | undefined> {
  return (
    [...inputs.keys()].every((k) => known.has(k)) &&
    [...inputs.values()].every((v) => typeof v === 'string' || v === undefined)
  );
}

/**
 * Validates and scrubs the answers to a card of questions; empty answers are stored as null (skipped). `scrubbed`:
 * the scrubber changed a text, so what is stored is not what was typed.
 */
export function checkAnswers(
  ctx: InterviewContext,
  record: InterviewRecord,
  questions: Question[],
  data: Record<string, unknown>,
): Checked<Answers> & { scrubbed?: boolean } {
  const inputs = inputsOf(data, 'q_');
  if (!onlyKnown(inputs, new Set(questions.map((q) => q.id)))) return fail(participantText(ctx.locale, 'malformed'));
  const vars = varsOf(ctx, record);
  const answers: Answers = {};
  let scrubbed = false;
  for (const q of questions) {
    const raw = (inputs.get(q.id) ?? '').trim();
    const label = localize(q.text, ctx.locale, vars);
    if (raw === '') {
      if (!q.optional) return fail(participantText(ctx.locale, 'required', { question: label }));
      answers[q.id] = null;
    } else if (q.type === 'text') {
      if (raw.length > q.maxLength)
        return fail(participantText(ctx.locale, 'tooLong', { question: label, length: raw.length, max: q.maxLength }));
      const clean = scrub(raw, ctx.participantName);
      scrubbed ||= clean !== raw;
      answers[q.id] = clean;
    } else if (q.type === 'rating') {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < q.min || n > q.max)
        return fail(participantText(ctx.locale, 'unknownChoice', { question: label }));
      answers[q.id] = n;
    } else {
      const list = choiceListOf(ctx, q.choices);
      if (!list.some((c) => c.id === raw))
        return fail(participantText(ctx.locale, 'unknownChoice', { question: label }));
      answers[q.id] = raw;
    }
  }
  return { ...ok(answers), scrubbed };
}

/**
 * The whole selection after one pick page, in deck order: the page's cards as toggled, the other pages' as they
 * were. The minimum of cards is checked on the last page.
 */
export function checkPick(
  ctx: InterviewContext,
  record: InterviewRecord,
  page: string[],
  last: boolean,
  data: Record<string, unknown>,
): Checked<string[]> {
  const inputs = inputsOf(data, 'pick_');
  if (
    !onlyKnown(inputs, new Set(page)) ||
    [...inputs.values()].some((v) => v !== undefined && v !== 'true' && v !== 'false')
  ) {
    return fail(participantText(ctx.locale, 'malformed'));
  }
  const onPage = new Set(page);
  const picked = cardsOf(ctx.deck)
    .map((c) => c.id)
    .filter((id) => (onPage.has(id) ? inputs.get(id) === 'true' : record.selection.includes(id)));
  const min = minCardsOf(ctx.deck, ctx.round);
  if (last && picked.length < min)
    return fail(participantText(ctx.locale, 'tooFewCards', { min, count: picked.length }));
  return ok(picked);
}

function checkColumn(ctx: InterviewContext, raw: unknown): Checked<number> {
  const { min, max } = ctx.guide.scale;
  const n = typeof raw === 'string' && /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) return fail(participantText(ctx.locale, 'badColumn', { min, max }));
  return ok(n);
}

/** The columns of the cards on one placement page; every card on the page needs one. */
export function checkPlacement(
  ctx: InterviewContext,
  pageCards: string[],
  data: Record<string, unknown>,
): Checked<Record<string, number>> {
  const inputs = inputsOf(data, 'col_');
  if (!onlyKnown(inputs, new Set(pageCards))) return fail(participantText(ctx.locale, 'malformed'));
  const missing = pageCards.filter((id) => (inputs.get(id) ?? '').trim() === '');
  if (missing.length)
    return fail(participantText(ctx.locale, 'unplaced', { cards: missing.map((id) => cardName(ctx, id)).join(', ') }));
  const placed: Record<string, number> = {};
  for (const id of pageCards) {
    const column = checkColumn(ctx, inputs.get(id));
    if (!column.ok) return column;
    placed[id] = column.value;
  }
  return ok(placed);
}

export function checkMove(
  ctx: InterviewContext,
  record: InterviewRecord,
  data: Record<string, unknown>,
): Checked<{ card: string; column: number }> {
  const card = data.moveCard;
  const to = data.moveTo;
  if ((card !== undefined && typeof card !== 'string') || (to !== undefined && typeof to !== 'string'))
    return fail(participantText(ctx.locale, 'malformed'));
  if (!card || !to) return fail(participantText(ctx.locale, 'moveIncomplete'));
  if (!record.selection.includes(card)) return fail(participantText(ctx.locale, 'malformed'));
  const column = checkColumn(ctx, to);
  return column.ok ? ok({ card, column: column.value }) : column;
}
