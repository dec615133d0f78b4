import { createHmac } from 'node:crypto';
import { submissionOf, type Stamp } from './actions.js';
import { parseCommand } from './commands.js';
import { participantText } from './messages.js';
import {
  extremeCards,
  firstPosition,
  isLastPickPage,
  nextPosition,
  normalisePosition,
  pickPage,
  placePage,
  previousPosition,
  stepOf,
} from './positions.js';
import { checkAnswers, checkMove, checkPick, checkPlacement } from './submissions.js';
import { localize } from './text.js';
import { localClock } from '../time.js';
import type { InterviewView } from './cardViews.js';
import type { Input, InterviewContext, InterviewRecord, Participant, Position, Reply, TurnResult } from './types.js';
import type { SummaryLine } from './views.js';
import {
  answerText,
  cardName,
  columnLabel,
  consentView,
  deadlineOf,
  varsOf,
  invitationView,
  roundName,
  summaryView,
  viewOf,
  welcomeView,
  withdrawConfirmView,
} from './views.js';
import { defined } from '../defined.js';

const text = (value: string): Reply => ({ kind: 'text', text: value });
const card = (view: InterviewView): Reply => ({ kind: 'card', card: view });
const nothing = (replies: Reply[]): TurnResult => ({ outcome: { kind: 'none' }, replies });

/**
 * A stable fingerprint of a card submission, to recognise a second click on the same card. The raw submission
 * holds unscrubbed text, so the fingerprint is keyed (a sub-key of the pseudonym secret, which lives with the keys):
 * with the answers store alone nobody can test a guessed name or number against it.
 */
export function fingerprint(key: Buffer, data: unknown): string {
  const sorted = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, x]) => [k, sorted(x)]),
        )
      : v;
  return createHmac('sha256', key)
    .update(JSON.stringify(sorted(data)))
    .digest('base64url');
}

function savedStatus(ctx: InterviewContext): string {
  return participantText(ctx.locale, 'savedAt', { time: localClock(ctx.now) });
}

/** A new interview, right after consent, at the first step after the consent step. */
export function createRecord(
  ctx: InterviewContext,
  code: string,
  quote: boolean,
  submitted: string | null,
): InterviewRecord {
  const now = ctx.now.toISOString();
  const record: InterviewRecord = {
    roundId: ctx.round.id,
    code,
    guide: { id: ctx.guide.id, version: ctx.guide.version },
    deckId: ctx.deck.id,
    rev: 0,
    consent: { participate: true, quote, at: now },
    answers: {},
    selection: [],
    placement: {},
    followUps: {},
    nudges: { noLowest: false, topHeavy: false },
    position: { step: '', index: 0 },
    stepTimes: {},
    startedAt: now,
    completedAt: null,
    lastSubmit: submitted,
  };
  return arrive(ctx, record, firstPosition(ctx, record));
}

/** Moves to a position, keeping the time each step was first shown, and completes the interview at the closing step. */
function arrive(ctx: InterviewContext, record: InterviewRecord, position: Position): InterviewRecord {
  const now = ctx.now.toISOString();
  const stepTimes = {
    ...record.stepTimes,
    [position.step]: { ...record.stepTimes[position.step], firstAt: record.stepTimes[position.step]?.firstAt ?? now },
  };
  const closing = stepOf(ctx, position.step).kind === 'closing';
  return { ...record, position, stepTimes, completedAt: record.completedAt ?? (closing ? now : null) };
}

function answered(ctx: InterviewContext, record: InterviewRecord): InterviewRecord {
  const now = ctx.now.toISOString();
  const step = record.position.step;
  return {
    ...record,
    stepTimes: { ...record.stepTimes, [step]: { firstAt: record.stepTimes[step]?.firstAt ?? now, lastAt: now } },
  };
}

/** Follow-up answers belong to a card in a column: they go when the card leaves that column. */
function pruneFollowUps(ctx: InterviewContext, record: InterviewRecord): InterviewRecord {
  const extremes = new Set(extremeCards(ctx, record));
  const followUps = Object.fromEntries(
    Object.entries(record.followUps).filter(([id, f]) => extremes.has(id) && record.placement[id] === f.column),
  );
  return { ...record, followUps };
}

function nudgesFor(ctx: InterviewContext, record: InterviewRecord): { record: InterviewRecord; texts: string[] } {
  const columns = record.selection.map((id) => record.placement[id]);
  const texts: string[] = [];
  const nudges = { ...record.nudges };
  if (!nudges.noLowest && !columns.includes(ctx.guide.scale.min)) {
    nudges.noLowest = true;
    texts.push(localize(ctx.guide.nudges.noLowest, ctx.locale));
  }
  if (
    !nudges.topHeavy &&
    columns.filter((c) => c !== undefined && c >= ctx.guide.scale.max - 1).length * 2 > columns.length
  ) {
    nudges.topHeavy = true;
    texts.push(localize(ctx.guide.nudges.topHeavy, ctx.locale));
  }
  return { record: { ...record, nudges }, texts };
}

/** A text about the round: every such text names it. */
function say(
  ctx: InterviewContext,
  key: Parameters<typeof participantText>[1],
  values: Record<string, string | number> = {},
): Reply {
  return text(participantText(ctx.locale, key, { round: roundName(ctx), ...values }));
}

function finished(ctx: InterviewContext, record: InterviewRecord): boolean {
  return Boolean(record.completedAt) && stepOf(ctx, record.position.step).kind === 'closing';
}

function current(ctx: InterviewContext, record: InterviewRecord): Reply[] {
  if (finished(ctx, record)) return [say(ctx, 'completed')];
  return [card(viewOf(ctx, record))];
}

/** Whether a card was shown at the record's revision and position: the card the participant is at now. */
function isCurrent(wz: Stamp, record: InterviewRecord): boolean {
  return wz.r === record.rev && wz.s === record.position.step && wz.i === record.position.index;
}

/**
 * A card shown again in Teams (its refresh): the card where the participant is now, when it is that card or the
 * message their interview moves on in; any other card of theirs becomes a read-only note. Never a write.
 */
function refreshed(ctx: InterviewContext, record: InterviewRecord, input: Input & { kind: 'refresh' }): TurnResult {
  const wz = submissionOf(input.data)?.wz;
  if (!input.live && !(wz && isCurrent(wz, record)))
    return nothing([
      card(
        summaryView(
          ctx,
          participantText(ctx.locale, 'cardOutdatedTitle'),
          [participantText(ctx.locale, 'cardOutdated')],
          '',
        ),
      ),
    ]);
  if (finished(ctx, record)) {
    const done = participantText(ctx.locale, 'completed', { round: roundName(ctx) });
    return nothing([card(summaryView(ctx, participantText(ctx.locale, 'completedTitle'), [done], ''))]);
  }
  return nothing([card(viewOf(ctx, record))]);
}

/** One greeting, fitting where the participant is: back in the middle of the interview, or done. */
function greeting(ctx: InterviewContext, record: InterviewRecord): Reply[] {
  if (finished(ctx, record)) return [say(ctx, 'completedBack')];
  return [say(ctx, 'welcomeBack'), ...current(ctx, record)];
}

/** Builds the reply after an accepted submission: the next card, and the summary that replaces the submitted one. */
function advanced(
  ctx: InterviewContext,
  before: InterviewRecord,
  changed: InterviewRecord,
  summaryLines: SummaryLine[],
  { nudges = [], showSubmitted }: { nudges?: string[]; showSubmitted?: boolean } = {},
): TurnResult {
  const step = stepOf(ctx, before.position.step);
  const after = { ...changed, rev: before.rev + 1 };
  return {
    outcome: { kind: 'save', record: after, expectedRev: before.rev },
    replies: [card(viewOf(ctx, after, nudges))],
    submitted: summaryView(ctx, localize(step.title, ctx.locale), summaryLines, savedStatus(ctx)),
    ...(showSubmitted && { showSubmitted }),
  };
}

function short(value: string): string {
  return value.length > 140 ? `${value.slice(0, 137)}...` : value;
}

function applySubmission(
  ctx: InterviewContext,
  record: InterviewRecord,
  stampValue: Stamp,
  data: Record<string, unknown>,
): TurnResult {
  const step = stepOf(ctx, record.position.step);
  const invalid = (problem: string) => nothing([text(participantText(ctx.locale, 'invalidSubmit', { problem }))]);
  const base = { ...answered(ctx, record), lastSubmit: fingerprint(ctx.submitKey, data) };
  const forward = (r: InterviewRecord) => arrive(ctx, r, nextPosition(ctx, r));

  if (stampValue.a === 'back') return goBack(ctx, record);

  switch (step.kind) {
    case 'questions': {
      const checked = checkAnswers(ctx, record, step.questions, data);
      if (!checked.ok) return invalid(checked.problem);
      const after = forward({ ...base, answers: { ...record.answers, [step.id]: checked.value } });
      const vars = varsOf(ctx, record);
      return advanced(
        ctx,
        record,
        after,
        step.questions.map((q) => ({
          label: localize(q.text, ctx.locale, vars),
          value: short(answerText(ctx, q, checked.value[q.id])),
        })),
        { showSubmitted: checked.scrubbed },
      );
    }
    case 'followUps': {
      // The position is normalised, so it points at one of the extreme cards, which are placed by definition.
      const id = defined(extremeCards(ctx, record)[record.position.index], 'card of a follow-up position');
      const column = defined(record.placement[id], 'column of an extreme card');
      const checked = checkAnswers(ctx, record, step.questions, data);
      if (!checked.ok) return invalid(checked.problem);
      const after = forward({ ...base, followUps: { ...record.followUps, [id]: { column, answers: checked.value } } });
      return advanced(ctx, record, after, [`${cardName(ctx, id)} (${columnLabel(ctx, column)})`]);
    }
    case 'qsortPick': {
      const page = pickPage(ctx, step, record.position.index);
      const checked = checkPick(ctx, record, page, isLastPickPage(ctx, step, record.position.index), data);
      if (!checked.ok) return invalid(checked.problem);
      const placement = Object.fromEntries(
        Object.entries(record.placement).filter(([id]) => checked.value.includes(id)),
      );
      const after = forward(pruneFollowUps(ctx, { ...base, selection: checked.value, placement }));
      const pickedHere = page.filter((id) => checked.value.includes(id)).map((id) => cardName(ctx, id));
      return advanced(ctx, record, after, [
        pickedHere.length ? pickedHere.join(', ') : participantText(ctx.locale, 'recallNone'),
      ]);
    }
    case 'qsortPlace': {
      const page = placePage(ctx, step, record, record.position.index);
      const checked = checkPlacement(ctx, page, data);
      if (!checked.ok) return invalid(checked.problem);
      let after = forward(pruneFollowUps(ctx, { ...base, placement: { ...record.placement, ...checked.value } }));
      let nudges: string[] = [];
      if (stepOf(ctx, after.position.step).kind === 'qsortReview')
        ({ record: after, texts: nudges } = nudgesFor(ctx, after));
      return advanced(
        ctx,
        record,
        after,
        page.map(
          (id) => `${cardName(ctx, id)}: ${columnLabel(ctx, defined(checked.value[id], 'column of a placed card'))}`,
        ),
        { nudges },
      );
    }
    case 'qsortReview': {
      if (stampValue.a === 'move') {
        const checked = checkMove(ctx, record, data);
        if (!checked.ok) return invalid(checked.problem);
        const after = pruneFollowUps(ctx, {
          ...base,
          placement: { ...record.placement, [checked.value.card]: checked.value.column },
        });
        return advanced(ctx, record, after, [
          `${cardName(ctx, checked.value.card)} → ${columnLabel(ctx, checked.value.column)}`,
        ]);
      }
      if (stampValue.a !== 'confirm') return invalid(participantText(ctx.locale, 'malformed'));
      const after = forward(pruneFollowUps(ctx, base));
      return advanced(ctx, record, after, [participantText(ctx.locale, 'saved')]);
    }
    case 'info': {
      if (stampValue.a !== 'next') return invalid(participantText(ctx.locale, 'malformed'));
      return advanced(ctx, record, forward(base), [participantText(ctx.locale, 'saved')]);
    }
    case 'closing':
    case 'consent':
      return invalid(participantText(ctx.locale, 'malformed'));
  }
}

function goBack(ctx: InterviewContext, record: InterviewRecord): TurnResult {
  if (record.completedAt) return nothing([say(ctx, 'completed')]);
  const previous = previousPosition(ctx, record);
  if (!previous) return nothing([text(participantText(ctx.locale, 'cannotGoBack')), ...current(ctx, record)]);
  const after = { ...arrive(ctx, record, previous), rev: record.rev + 1 };
  return { outcome: { kind: 'save', record: after, expectedRev: record.rev }, replies: [card(viewOf(ctx, after))] };
}

function beforeConsent(ctx: InterviewContext, declined: boolean, input: Input): TurnResult {
  const welcome = (): Reply[] => [...(declined ? [say(ctx, 'declinedBefore')] : []), card(welcomeView(ctx))];
  if (input.kind === 'start') return nothing(welcome());
  if (input.kind === 'invitation') return nothing([card(invitationView(ctx))]);
  // Nothing of a participant's progress is kept before consent: a card shown again stays the card it was.
  if (input.kind === 'refresh') {
    const shown = submissionOf(input.data)?.wz.s;
    if (shown === 'invitation') return nothing([card(invitationView(ctx))]);
    if (shown && ctx.guide.steps.some((s) => s.id === shown && s.kind === 'consent'))
      return nothing([card(consentView(ctx))]);
    return nothing([card(welcomeView(ctx))]);
  }
  if (input.kind === 'reminder')
    return nothing([say(ctx, 'reminderNew', { deadline: deadlineOf(ctx) }), card(invitationView(ctx))]);
  if (input.kind === 'text') {
    const command = parseCommand(input.text);
    if (command === 'withdraw') return nothing([text(participantText(ctx.locale, 'nothingToWithdraw'))]);
    if (command === 'help') return nothing([text(participantText(ctx.locale, 'help')), ...welcome()]);
    return nothing(welcome());
  }
  const parsed = submissionOf(input.data);
  if (!parsed)
    return nothing([
      text(participantText(ctx.locale, 'invalidSubmit', { problem: participantText(ctx.locale, 'malformed') })),
    ]);
  const { wz } = parsed;
  const welcomeStep = defined(ctx.guide.steps[0], 'first step of the guide');
  const consentStep = ctx.guide.steps.find((s) => s.kind === 'consent')!;
  if (wz.r === 0 && wz.s === 'invitation') {
    const title = participantText(ctx.locale, 'invitationTitle', { round: roundName(ctx) });
    if (wz.a === 'start')
      return {
        outcome: { kind: 'none' },
        replies: welcome(),
        submitted: summaryView(ctx, title, [participantText(ctx.locale, 'invitationStart')], ''),
      };
    if (wz.a === 'notNow')
      return {
        outcome: { kind: 'snooze' },
        replies: [say(ctx, 'snoozed')],
        submitted: summaryView(ctx, title, [participantText(ctx.locale, 'invitationNotNow')], ''),
      };
    if (wz.a === 'noThanks')
      return {
        outcome: { kind: 'declined' },
        replies: [say(ctx, 'noThanks')],
        submitted: summaryView(ctx, title, [participantText(ctx.locale, 'invitationNoThanks')], ''),
      };
  }
  if (wz.r === 0 && wz.s === welcomeStep.id && wz.a === 'next') {
    return {
      outcome: { kind: 'none' },
      replies: [card(consentView(ctx))],
      submitted: summaryView(ctx, localize(welcomeStep.title, ctx.locale), [], participantText(ctx.locale, 'saved')),
    };
  }
  if (wz.r === 0 && wz.s === consentStep.id && (wz.a === 'consentYes' || wz.a === 'consentNo')) {
    const title = localize(consentStep.title, ctx.locale);
    if (wz.a === 'consentNo') {
      return {
        outcome: { kind: 'declined' },
        replies: [say(ctx, 'declined')],
        submitted: summaryView(
          ctx,
          title,
          [participantText(ctx.locale, 'consentNo')],
          participantText(ctx.locale, 'saved'),
        ),
      };
    }
    const quote = parsed.data.quote === 'true';
    return {
      outcome: { kind: 'consented', quote },
      replies: [],
      submitted: summaryView(ctx, title, [participantText(ctx.locale, 'consentYes')], savedStatus(ctx)),
    };
  }
  // A card of an interview that was withdrawn, or a forged one: start afresh.
  return nothing([text(participantText(ctx.locale, 'staleCard')), ...welcome()]);
}

function during(ctx: InterviewContext, stored: InterviewRecord, input: Input): TurnResult {
  // Content may have changed under a paused interview (another page count): continue at the nearest valid place.
  const record = { ...stored, position: normalisePosition(ctx, stored) };
  if (input.kind === 'start' || input.kind === 'invitation') return nothing(greeting(ctx, record));
  if (input.kind === 'reminder') return nothing([say(ctx, 'reminderActive'), ...current(ctx, record)]);
  if (input.kind === 'refresh') return refreshed(ctx, record, input);
  if (input.kind === 'text') {
    switch (parseCommand(input.text)) {
      case 'hello':
        return nothing(greeting(ctx, record));
      case 'continue':
        return nothing(current(ctx, record));
      case 'back':
        return goBack(ctx, record);
      case 'help':
        return nothing([text(participantText(ctx.locale, 'help')), ...current(ctx, record)]);
      case 'pause':
        return nothing([say(ctx, 'paused')]);
      case 'withdraw':
        return nothing([card(withdrawConfirmView(ctx, record))]);
      case null:
        if (finished(ctx, record)) return nothing(current(ctx, record));
        return nothing([
          text(participantText(ctx.locale, 'unknownCommand', { text: input.text.slice(0, 40) })),
          ...current(ctx, record),
        ]);
    }
  }
  const parsed = submissionOf(input.data);
  if (!parsed)
    return nothing([
      text(participantText(ctx.locale, 'invalidSubmit', { problem: participantText(ctx.locale, 'malformed') })),
    ]);
  const { wz } = parsed;
  if (!isCurrent(wz, record)) {
    if (record.lastSubmit === fingerprint(ctx.submitKey, parsed.data)) return nothing([]);
    return nothing([text(participantText(ctx.locale, 'staleCard')), ...current(ctx, record)]);
  }
  if (wz.a === 'withdrawYes')
    return {
      outcome: { kind: 'withdraw' },
      replies: [say(ctx, 'withdrawn')],
      submitted: summaryView(
        ctx,
        participantText(ctx.locale, 'withdrawConfirmTitle'),
        [participantText(ctx.locale, 'withdrawYes')],
        '',
      ),
    };
  if (wz.a === 'withdrawNo')
    return {
      outcome: { kind: 'none' },
      replies: current(ctx, record),
      submitted: summaryView(
        ctx,
        participantText(ctx.locale, 'withdrawConfirmTitle'),
        [participantText(ctx.locale, 'withdrawNo')],
        '',
      ),
    };
  if (finished(ctx, record)) return nothing([say(ctx, 'completed')]);
  return applySubmission(ctx, record, wz, parsed.data);
}

/**
 * One turn of the interview: pure, with no I/O. The edge loads the participant, calls this,
 * makes the outcome durable and only then sends the replies.
 */
export function handleTurn(ctx: InterviewContext, participant: Participant, input: Input): TurnResult {
  if (participant.status === 'active') return during(ctx, participant.record, input);
  return beforeConsent(ctx, participant.status === 'declined', input);
}

/** What to show right after consent was recorded. */
export function afterConsent(ctx: InterviewContext, record: InterviewRecord): Reply[] {
  return current(ctx, record);
}
