import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import type { Step } from '../../src/content/schema.js';
import { ACTIONS, type Action } from '../../src/interview/actions.js';
import { cardsOf, minCardsOf } from '../../src/interview/deck.js';
import { checkAnswers, checkMove, checkPick, checkPlacement } from '../../src/interview/submissions.js';
import {
  extremeCards,
  isLastPickPage,
  normalisePosition,
  pickPage,
  placePage,
  positionsAfterConsent,
  stepOf,
} from '../../src/interview/positions.js';
import { InterviewRecordSchema } from '../../src/interview/recordSchema.js';
import type { Input, InterviewContext, InterviewRecord } from '../../src/interview/types.js';
import { seededRandom } from '../../src/analysis/random.js';
import { contextFor } from '../support/context.js';
import { EngineDriver } from '../support/engineDriver.js';
import { at, defined } from '../support/defined.js';

/**
 * Property-based: for any sequence of inputs, valid or not, in any order (stale cards, double clicks, "terug" at
 * every step, commands in the middle of a card), every record the engine saves is valid under its schema, no
 * required question is passed without an answer, and no stored answer is lost except by answering that step's
 * card again (after "terug") or by withdrawing.
 */

/** The real guide, with some questions made required, so that skipping one would be noticed. */
function strictContext(): InterviewContext {
  const ctx = contextFor({ now: new Date('2026-11-25T10:00:00Z') });
  const required = new Set([
    'background.role',
    'background.ageBand',
    'followUps.why',
    'followUps.teamAttention',
    'training.need',
  ]);
  const steps = ctx.guide.steps.map((step): Step =>
    'questions' in step
      ? { ...step, questions: step.questions.map((q) => ({ ...q, optional: !required.has(`${step.id}.${q.id}`) })) }
      : step,
  );
  return { ...ctx, guide: { ...ctx.guide, steps } };
}

const SENTENCES = [
  'Ik werk in een wijkteam.',
  'Gesprekken met ouders.',
  '',
  '   ',
  'x'.repeat(5000),
  'Piet Jansen belt 06-12345678',
  '<b>html</b>',
];
const COMMANDS = ['terug', 'verder', 'help', 'pauze', 'stoppen', 'hallo', 'TERUG!', '<at>Wijzer</at> terug', ''];

type Move =
  | { kind: 'answer' | 'garbage' | 'stale' | 'wrongStamp' | 'refresh'; seed: number }
  | { kind: 'back' | 'backButton' | 'start' | 'reminder' | 'invitation' | 'withdrawYes' | 'withdrawNo' }
  | { kind: 'text'; text: string };

const move: fc.Arbitrary<Move> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('answer' as const), seed: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom('garbage' as const, 'stale' as const, 'wrongStamp' as const, 'refresh' as const),
      seed: fc.nat(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'back' as const,
        'backButton' as const,
        'start' as const,
        'reminder' as const,
        'invitation' as const,
        'withdrawYes' as const,
        'withdrawNo' as const,
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('text' as const),
      text: fc.oneof(fc.constantFrom(...COMMANDS), fc.string({ maxLength: 30 })),
    }),
  },
);

/** The stamp of a button on the card the participant sees now. */
function stampNow(
  ctx: InterviewContext,
  driver: EngineDriver,
  a: Action,
): { wz: { s: string; i: number; r: number; a: Action; rd: string } } {
  if (driver.participant.status !== 'active')
    return { wz: { s: a === 'next' ? at(ctx.guide.steps, 0).id : 'consent', i: 0, r: 0, a, rd: ctx.round.id } };
  const { position, rev } = driver.record;
  return { wz: { s: position.step, i: position.index, r: rev, a, rd: ctx.round.id } };
}

/** What a participant fills in on the current card: mostly sensible, sometimes not (empty, too long, unknown). */
function inputsFor(
  ctx: InterviewContext,
  record: InterviewRecord | null,
  random: () => number,
): { action: Action; data: Record<string, unknown> } {
  const any = <T>(items: readonly T[]): T => at(items, Math.floor(random() * items.length));
  if (!record)
    return random() < 0.5
      ? { action: 'next', data: {} }
      : { action: any(['consentYes', 'consentYes', 'consentNo'] as const), data: { quote: any(['true', 'false']) } };
  const step = stepOf(ctx, normalisePosition(ctx, record).step);
  const questions = (qs: Extract<Step, { kind: 'questions' }>['questions']) =>
    Object.fromEntries(
      qs.map((q) => {
        if (random() < 0.15) return [`q_${q.id}`, ''];
        if (q.type === 'text') return [`q_${q.id}`, any(SENTENCES)];
        if (q.type === 'rating') return [`q_${q.id}`, String(q.min + Math.floor(random() * (q.max - q.min + 2)))];
        const list =
          q.choices === 'round:workAreas' ? ctx.round.workAreas : defined(ctx.guide.choiceLists[q.choices], q.choices);
        return [`q_${q.id}`, random() < 0.9 ? any(list).id : 'no-such-choice'];
      }),
    );
  const { min, max } = ctx.guide.scale;
  const column = () => String(random() < 0.95 ? min + Math.floor(random() * (max - min + 1)) : max + 1);
  switch (step.kind) {
    case 'questions':
      return { action: 'next', data: questions(step.questions) };
    case 'followUps':
      return { action: 'next', data: questions(step.questions) };
    case 'qsortPick': {
      // Each card of the page on with a chance that mostly, not always, reaches the minimum over all pages.
      const share = (minCardsOf(ctx.deck, ctx.round) + 2) / cardsOf(ctx.deck).length;
      return {
        action: 'next',
        data: Object.fromEntries(
          pickPage(ctx, step, record.position.index).map((id) => [`pick_${id}`, String(random() < share)]),
        ),
      };
    }
    case 'qsortPlace': {
      const page = placePage(ctx, step, record, record.position.index);
      return {
        action: 'next',
        data: Object.fromEntries(page.filter(() => random() < 0.97).map((id) => [`col_${id}`, column()])),
      };
    }
    case 'qsortReview':
      return random() < 0.5
        ? { action: 'confirm', data: {} }
        : { action: 'move', data: { moveCard: any(record.selection), moveTo: column() } };
    default:
      return { action: 'next', data: {} };
  }
}

/** What a turn may change: the answers of the card it submits (and what follows from them), nothing else. */
interface AnswerData {
  answers: Record<string, unknown>;
  selection: string[];
  placement: Record<string, number>;
  followUps: Record<string, unknown>;
}
const answerData = (r: InterviewRecord): AnswerData => ({
  answers: r.answers,
  selection: r.selection,
  placement: r.placement,
  followUps: r.followUps,
});

function checkNothingLost(
  ctx: InterviewContext,
  before: InterviewRecord,
  after: InterviewRecord,
  submitted: boolean,
): void {
  const step = stepOf(ctx, normalisePosition(ctx, before).step);
  const a = answerData(before);
  const b = answerData(after);
  if (!submitted) {
    // "terug", a command, a stale card: the answers stay exactly as they were.
    expect(b).toEqual(a);
    return;
  }
  for (const id of Object.keys(a.answers)) if (id !== step.id) expect(b.answers[id]).toEqual(a.answers[id]);
  if (step.kind !== 'qsortPick') expect(b.selection).toEqual(a.selection);
  for (const [card, column] of Object.entries(a.placement)) {
    const mayChange =
      step.kind === 'qsortPlace' ||
      step.kind === 'qsortReview' ||
      (step.kind === 'qsortPick' && !after.selection.includes(card));
    if (!mayChange) expect(b.placement[card]).toBe(column);
  }
  for (const [card, followUp] of Object.entries(a.followUps)) {
    if (b.followUps[card] === undefined) {
      // A follow-up goes only with its card leaving that extreme column (or the selection).
      expect(['qsortPick', 'qsortPlace', 'qsortReview']).toContain(step.kind);
      expect(after.placement[card] === before.placement[card] && after.selection.includes(card)).toBe(false);
    } else if (step.kind !== 'followUps') {
      expect(b.followUps[card]).toEqual(followUp);
    }
  }
}

/** Everything before the participant's position has its required answers. */
function checkNothingSkipped(ctx: InterviewContext, record: InterviewRecord): void {
  const list = positionsAfterConsent(ctx, record);
  const here = normalisePosition(ctx, record);
  const at = list.findIndex((p) => p.step === here.step && p.index === here.index);
  expect(at).toBeGreaterThanOrEqual(0);
  for (const p of list.slice(0, at)) {
    const step = stepOf(ctx, p.step);
    if (step.kind === 'questions') {
      for (const q of step.questions.filter((x) => !x.optional))
        expect({ step: step.id, q: q.id, answer: record.answers[step.id]?.[q.id] ?? null }).not.toEqual({
          step: step.id,
          q: q.id,
          answer: null,
        });
    } else if (step.kind === 'followUps') {
      const card = defined(extremeCards(ctx, record)[p.index], 'the extreme card');
      const followUp = record.followUps[card];
      expect(followUp?.column).toBe(record.placement[card]);
      for (const q of step.questions.filter((x) => !x.optional)) expect(followUp?.answers[q.id] ?? null).not.toBeNull();
    } else if (step.kind === 'qsortPick') {
      if (isLastPickPage(ctx, step, p.index))
        expect(record.selection.length).toBeGreaterThanOrEqual(minCardsOf(ctx.deck, ctx.round));
    } else if (step.kind === 'qsortPlace') {
      for (const id of placePage(ctx, step, record, p.index)) expect(record.placement[id]).toEqual(expect.any(Number));
    }
  }
  const { min, max } = ctx.guide.scale;
  for (const [card, column] of Object.entries(record.placement)) {
    expect(record.selection).toContain(card);
    expect(column >= min && column <= max).toBe(true);
  }
  if (record.completedAt) expect(stepOf(ctx, here.step).kind).toBe('closing');
}

function play(moves: Move[]): void {
  const ctx = strictContext();
  const driver = new EngineDriver(ctx);
  const sent: Record<string, unknown>[] = [];
  driver.turn({ kind: 'start' });
  for (const m of moves) {
    const before = driver.participant.status === 'active' ? driver.record : null;
    let input: Input;
    let submits = false;
    switch (m.kind) {
      case 'answer': {
        const { action, data } = inputsFor(ctx, before, seededRandom(m.seed));
        const value = { ...stampNow(ctx, driver, action), ...data };
        sent.push(value);
        input = { kind: 'submit', data: value };
        submits = true;
        break;
      }
      case 'stale':
        // A card pressed again later: a double click, or an old card further up the chat.
        input = { kind: 'submit', data: sent.length ? sent[m.seed % sent.length] : { wz: 1 } };
        submits = true;
        break;
      case 'wrongStamp': {
        const random = seededRandom(m.seed);
        const s = stampNow(ctx, driver, at(ACTIONS, Math.floor(random() * ACTIONS.length)));
        input = {
          kind: 'submit',
          data: { wz: { ...s.wz, r: s.wz.r + 1 + Math.floor(random() * 3), i: Math.floor(random() * 3) } },
        };
        submits = true;
        break;
      }
      case 'garbage': {
        const random = seededRandom(m.seed);
        const garbage = [
          null,
          5,
          'x',
          [],
          { wz: null },
          { wz: { s: 'pick', i: -1, r: 0, a: 'next', rd: 'default' } },
          { ...stampNow(ctx, driver, 'next'), q_role: { nested: true }, pick_x: 7, col_y: [1] },
        ];
        input = { kind: 'submit', data: garbage[Math.floor(random() * garbage.length)] };
        submits = true;
        break;
      }
      case 'refresh': {
        // Teams shows a card again: any card sent so far or the current one, in the live message or not.
        const random = seededRandom(m.seed);
        const shown = sent.length && random() < 0.7 ? sent[m.seed % sent.length] : stampNow(ctx, driver, 'next');
        input = { kind: 'refresh', data: { wz: (shown as { wz?: unknown }).wz }, live: random() < 0.5 };
        break;
      }
      case 'back':
        input = { kind: 'text', text: 'terug' };
        break;
      case 'backButton':
        input = { kind: 'submit', data: stampNow(ctx, driver, 'back') };
        break;
      case 'withdrawYes':
      case 'withdrawNo':
        input = { kind: 'submit', data: stampNow(ctx, driver, m.kind) };
        submits = true;
        break;
      case 'text':
        input = { kind: 'text', text: m.text };
        break;
      default:
        input = { kind: m.kind };
    }
    const result = driver.turn(input);
    const { outcome } = result;
    if (input.kind === 'refresh') {
      // A refresh is answered with one card and never changes anything.
      expect(outcome.kind).toBe('none');
      expect(result.replies.map((r) => r.kind)).toEqual(['card']);
    }
    if (outcome.kind === 'save') {
      expect(InterviewRecordSchema.safeParse(outcome.record).error?.issues ?? []).toEqual([]);
      expect(outcome.record.rev).toBe(outcome.expectedRev + 1);
    }
    if (driver.participant.status === 'active') {
      const after = driver.record;
      expect(InterviewRecordSchema.safeParse(after).error?.issues ?? []).toEqual([]);
      checkNothingSkipped(ctx, after);
      if (before) {
        const isBack = input.kind === 'submit' && (input.data as { wz?: { a?: unknown } } | null)?.wz?.a === 'back';
        checkNothingLost(ctx, before, after, submits && !isBack && outcome.kind === 'save');
      }
    } else if (before) {
      // The only way out of an interview with answers: confirmed withdrawal.
      expect(outcome.kind).toBe('withdraw');
    }
  }
}

describe('the interview engine under any sequence of inputs', () => {
  test('records stay valid, nothing required is skipped, no answer is lost', () => {
    fc.assert(
      fc.property(fc.array(move, { minLength: 1, maxLength: 80 }), (moves) => play(moves)),
      { seed: 11, numRuns: 300 },
    );
  });

  test('mostly cooperative participants reach the end with the same guarantees', () => {
    const cooperative = fc.array(
      fc.oneof(
        { weight: 12, arbitrary: fc.record({ kind: fc.constant('answer' as const), seed: fc.nat() }) },
        { weight: 1, arbitrary: move },
      ),
      { minLength: 40, maxLength: 120 },
    );
    fc.assert(
      fc.property(cooperative, (moves) => play(moves)),
      { seed: 12, numRuns: 25 },
    );
  });
});

describe('the submission parsers under any data', () => {
  const ctx = strictContext();
  const record: InterviewRecord = {
    roundId: 'default',
    code: 'A',
    guide: { id: ctx.guide.id, version: ctx.guide.version },
    deckId: ctx.deck.id,
    rev: 3,
    consent: { participate: true, quote: true, at: '2026-11-25T10:00:00.000Z' },
    answers: {},
    selection: cardsOf(ctx.deck)
      .slice(0, 12)
      .map((c) => c.id),
    placement: {},
    followUps: {},
    nudges: { noLowest: false, topHeavy: false },
    position: { step: 'review', index: 0 },
    stepTimes: {},
    startedAt: '2026-11-25T10:00:00.000Z',
    completedAt: null,
    lastSubmit: null,
  };
  const questions = ctx.guide.steps.flatMap((s) => ('questions' in s ? s.questions : []));
  const keys = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom(
      ...questions.map((q) => `q_${q.id}`),
      ...record.selection.map((id) => `pick_${id}`),
      ...record.selection.map((id) => `col_${id}`),
      'moveCard',
      'moveTo',
      '__proto__',
      'constructor',
    ),
  );
  const data = fc.dictionary(keys, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 20 });

  // Display names as Teams has them: letters, hyphens, digits, particles, initials, a department in brackets.
  const name = fc
    .array(
      fc.oneof(
        fc.constantFrom('Anne-Marie', 'van der', 'Jansen', 'Team-4', 'J.', "O'Neill", '(WIJ)', 'de', '-', '0'),
        fc.string({ maxLength: 8 }),
      ),
      { maxLength: 4 },
    )
    .map((parts) => parts.join(' '));

  test('never throw, and what they accept is within the content', () => {
    fc.assert(
      fc.property(data, name, (d, participantName) => {
        const answers = checkAnswers({ ...ctx, participantName }, record, questions, d);
        if (answers.ok) {
          for (const q of questions) {
            const v = answers.value[q.id];
            if (v === null) expect(q.optional).toBe(true);
            else if (q.type === 'text') expect(typeof v === 'string' && v.length <= q.maxLength).toBe(true);
            else if (q.type === 'rating')
              expect(Number.isInteger(v) && (v as number) >= q.min && (v as number) <= q.max).toBe(true);
          }
        } else expect(answers.problem.length).toBeGreaterThan(0);
        const pickStep = ctx.guide.steps.find(
          (s): s is Extract<Step, { kind: 'qsortPick' }> => s.kind === 'qsortPick',
        )!;
        const pick = checkPick(ctx, record, pickPage(ctx, pickStep, 0), true, d);
        if (pick.ok) expect(pick.value.length).toBeGreaterThanOrEqual(minCardsOf(ctx.deck, ctx.round));
        const placed = checkPlacement(ctx, record.selection.slice(0, 8), d);
        if (placed.ok) expect(Object.keys(placed.value).sort()).toEqual(record.selection.slice(0, 8).sort());
        const moved = checkMove(ctx, record, d);
        if (moved.ok) expect(record.selection).toContain(moved.value.card);
      }),
      { seed: 13, numRuns: 2000 },
    );
  });
});
