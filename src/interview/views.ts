import type { Question, Round, Step } from '../content/schema.js';
import { stamp } from './actions.js';
import { cardsOf, minCardsOf } from './deck.js';
import { participantText } from './messages.js';
import { extremeCards, pickPage, placePage, positionCount, stepOf } from './positions.js';
import { calendarDate } from '../time.js';
import { localize, type Vars } from './text.js';
import type { InterviewView, QuestionView } from './cardViews.js';
import type { Answers, AnswerValue, InterviewContext, InterviewRecord, Position } from './types.js';
import { defined } from '../defined.js';

const REV_NONE = 0;

export function columnLabel(ctx: InterviewContext, column: number): string {
  // A stored column outside the guide's scale (the scale changed since) shows as its number alone.
  const label = ctx.guide.scale.labels[String(column)];
  const number = `${column > 0 ? '+' : ''}${column}`;
  return label ? `${number} · ${localize(label, ctx.locale)}` : number;
}

/** The round's name: every card and every text about a round names it, as a participant may meet several. */
export function roundName(ctx: InterviewContext): string {
  return localize(ctx.round.name, ctx.locale);
}

/** "Vragen over het onderzoek? Neem contact op met ...": for the invitation, the consent and the closing card. */
export function contactLine(ctx: InterviewContext): string {
  const contact = ctx.round.contact;
  if (!contact) return '';
  const ways = [
    ...(contact.email ? [`[${contact.email}](mailto:${contact.email})`] : []),
    ...(contact.teams ? [`[${participantText(ctx.locale, 'contactTeams')}](${contact.teams})`] : []),
  ].join(` ${participantText(ctx.locale, 'contactOr')} `);
  return participantText(ctx.locale, 'contact', { name: localize(contact.name, ctx.locale), ways });
}

/** The choices a question names: the round's work areas, or a list of the guide (its schema refuses unknown names). */
export function choiceListOf(ctx: InterviewContext, name: string): Round['workAreas'] {
  if (name === 'round:workAreas') return ctx.round.workAreas;
  return defined(ctx.guide.choiceLists[name], 'choice list named by a question');
}

export function cardName(ctx: InterviewContext, id: string): string {
  const card = cardsOf(ctx.deck).find((c) => c.id === id);
  return card ? localize(card.name, ctx.locale) : id;
}

/** The values guide texts may quote. */
export function varsOf(ctx: InterviewContext, record?: InterviewRecord): Vars {
  const vars: Vars = {
    estimatedMinutes: ctx.guide.estimatedMinutes,
    retentionMonths: ctx.round.retentionMonths,
    minCards: minCardsOf(ctx.deck, ctx.round),
    totalCards: cardsOf(ctx.deck).length,
    closesAt: ctx.round.closesAt,
  };
  for (const [stepId, answers] of Object.entries(record?.answers ?? {})) {
    for (const [qid, value] of Object.entries(answers))
      vars[`${stepId}.${qid}`] =
        value === null || value === '' ? participantText(ctx.locale, 'recallNone') : String(value);
  }
  return vars;
}

/** "Stap 4 van 13", with the page or card within a step when it has several. */
export function progressOf(ctx: InterviewContext, pos: Position, record?: InterviewRecord): string {
  const steps = ctx.guide.steps.length;
  const step = ctx.guide.steps.findIndex((s) => s.id === pos.step) + 1;
  // The step's own count, without building every position of the interview once more.
  const parts = record ? positionCount(ctx, stepOf(ctx, pos.step), record) : 1;
  if (parts <= 1) return participantText(ctx.locale, 'progress', { step, steps });
  const kind = stepOf(ctx, pos.step).kind === 'followUps' ? 'progressCard' : 'progressPart';
  return participantText(ctx.locale, kind, { step, steps, part: pos.index + 1, parts });
}

/** What every step's card starts with: the round, the step's title, and how far the participant is. */
function stepHeading(ctx: InterviewContext, step: Step, pos: Position, record?: InterviewRecord) {
  return { round: roundName(ctx), title: localize(step.title, ctx.locale), progress: progressOf(ctx, pos, record) };
}

function choicesOf(ctx: InterviewContext, q: Question): { title: string; value: string }[] {
  if (q.type === 'rating') {
    return Array.from({ length: q.max - q.min + 1 }, (_, i) => ({
      title: String(q.min + i),
      value: String(q.min + i),
    }));
  }
  if (q.type !== 'choice') return [];
  const list = choiceListOf(ctx, q.choices);
  return list.map((c) => ({ title: localize(c.label, ctx.locale), value: c.id }));
}

function questionViews(
  ctx: InterviewContext,
  questions: Question[],
  answers: Answers | undefined,
  vars: Vars,
): QuestionView[] {
  return questions.map((q) => ({
    id: `q_${q.id}`,
    label: localize(q.text, ctx.locale, vars),
    isText: q.type === 'text',
    isMultiline: q.type === 'text' && q.maxLength > 200,
    isChoice: q.type !== 'text',
    // A 1-10 rating as ten radio buttons is a screen on a phone: a compact choice is one line (a native picker on
    // Teams mobile). Choice lists stay radio buttons, which every client renders reliably.
    style: q.type === 'rating' ? 'compact' : 'expanded',
    placeholder:
      q.type === 'rating' ? participantText(ctx.locale, 'ratingPlaceholder', { min: q.min, max: q.max }) : '',
    isRequired: !q.optional,
    maxLength: q.type === 'text' ? q.maxLength : 0,
    value: answers?.[q.id] === null || answers?.[q.id] === undefined ? '' : String(answers[q.id]),
    choices: choicesOf(ctx, q),
  }));
}

/** "31 december 2027" / "31 December 2027": the round's last day, for invitations and reminders. */
export function deadlineOf(ctx: InterviewContext): string {
  return calendarDate(ctx.round.closesAt, ctx.locale);
}

export function invitationView(ctx: InterviewContext): InterviewView {
  const welcome = defined(ctx.guide.steps[0], 'first step of the guide');
  const purpose =
    welcome.kind === 'info'
      ? localize(defined(welcome.body[0], 'first paragraph of an info step'), ctx.locale, varsOf(ctx))
      : localize(ctx.guide.title, ctx.locale);
  return {
    template: 'info',
    data: {
      round: roundName(ctx),
      title: participantText(ctx.locale, 'invitationTitle', { round: roundName(ctx) }),
      progress: '',
      paragraphs: [
        purpose,
        participantText(ctx.locale, 'invitationBody', {
          minutes: ctx.guide.estimatedMinutes,
          deadline: deadlineOf(ctx),
        }),
        contactLine(ctx),
      ].filter(Boolean),
      actions: [
        {
          title: participantText(ctx.locale, 'invitationStart'),
          data: stamp(ctx.round.id, 'invitation', 0, REV_NONE, 'start'),
        },
        {
          title: participantText(ctx.locale, 'invitationNotNow'),
          data: stamp(ctx.round.id, 'invitation', 0, REV_NONE, 'notNow'),
        },
        {
          title: participantText(ctx.locale, 'invitationNoThanks'),
          data: stamp(ctx.round.id, 'invitation', 0, REV_NONE, 'noThanks'),
        },
      ],
    },
  };
}

export function welcomeView(ctx: InterviewContext): InterviewView {
  const step = ctx.guide.steps[0];
  if (step?.kind !== 'info') throw new Error('the guide must start with an info step');
  return {
    template: 'info',
    data: {
      ...stepHeading(ctx, step, { step: step.id, index: 0 }),
      paragraphs: step.body.map((p) => localize(p, ctx.locale, varsOf(ctx))),
      actions: [
        { title: participantText(ctx.locale, 'next'), data: stamp(ctx.round.id, step.id, 0, REV_NONE, 'next') },
      ],
    },
  };
}

export function consentView(ctx: InterviewContext): InterviewView {
  const step = ctx.guide.steps.find((s) => s.kind === 'consent');
  if (step?.kind !== 'consent') throw new Error('the guide has no consent step');
  const vars = varsOf(ctx);
  return {
    template: 'consent',
    data: {
      ...stepHeading(ctx, step, { step: step.id, index: 0 }),
      intro: localize(step.intro, ctx.locale, vars),
      points: step.points.map((p, i) => `${i + 1}. ${localize(p, ctx.locale, vars)}`),
      contact: contactLine(ctx),
      quoteLabel: localize(step.quoteConsent, ctx.locale, vars),
      yes: {
        title: participantText(ctx.locale, 'consentYes'),
        data: stamp(ctx.round.id, step.id, 0, REV_NONE, 'consentYes'),
      },
      no: {
        title: participantText(ctx.locale, 'consentNo'),
        data: stamp(ctx.round.id, step.id, 0, REV_NONE, 'consentNo'),
      },
    },
  };
}

function backAction(ctx: InterviewContext, pos: Position, record: InterviewRecord) {
  return {
    title: participantText(ctx.locale, 'back'),
    data: stamp(ctx.round.id, pos.step, pos.index, record.rev, 'back'),
  };
}

function pickView(
  ctx: InterviewContext,
  step: Extract<Step, { kind: 'qsortPick' }>,
  pos: Position,
  record: InterviewRecord,
): InterviewView {
  const selected = new Set(record.selection);
  const onPage = new Set(pickPage(ctx, step, pos.index));
  return {
    template: 'pick',
    data: {
      ...stepHeading(ctx, step, pos, record),
      // The intro once, on the first page: on a phone every line counts.
      intro: pos.index === 0 ? localize(step.intro, ctx.locale, varsOf(ctx, record)) : '',
      count: selected.size
        ? participantText(ctx.locale, 'pickCount', { min: minCardsOf(ctx.deck, ctx.round), count: selected.size })
        : participantText(ctx.locale, 'pickMin', { min: minCardsOf(ctx.deck, ctx.round) }),
      clusters: ctx.deck.clusters
        .map((cluster) => ({
          name: localize(cluster.name, ctx.locale),
          cards: cluster.competencies
            .filter((c) => onPage.has(c.id))
            .map((c) => ({
              id: `pick_${c.id}`,
              name: localize(c.name, ctx.locale),
              description: localize(c.description, ctx.locale),
              value: selected.has(c.id) ? 'true' : 'false',
            })),
        }))
        .filter((cluster) => cluster.cards.length),
      submit: {
        title: participantText(ctx.locale, 'save'),
        data: stamp(ctx.round.id, pos.step, pos.index, record.rev, 'next'),
      },
      back: backAction(ctx, pos, record),
    },
  };
}

function placeView(
  ctx: InterviewContext,
  step: Extract<Step, { kind: 'qsortPlace' }>,
  pos: Position,
  record: InterviewRecord,
): InterviewView {
  const onPage = new Set(placePage(ctx, step, record, pos.index));
  const page = cardsOf(ctx.deck).filter((c) => onPage.has(c.id));
  const scale: { title: string; value: string }[] = [];
  for (let c = ctx.guide.scale.max; c >= ctx.guide.scale.min; c--)
    scale.push({ title: columnLabel(ctx, c), value: String(c) });
  return {
    template: 'place',
    data: {
      ...stepHeading(ctx, step, pos, record),
      intro: pos.index === 0 ? localize(step.intro, ctx.locale, varsOf(ctx, record)) : '',
      cards: page.map((c) => ({
        id: `col_${c.id}`,
        name: localize(c.name, ctx.locale),
        cluster: localize(c.clusterName, ctx.locale),
        description: localize(c.description, ctx.locale),
        placeholder: participantText(ctx.locale, 'placePlaceholder'),
        value: record.placement[c.id] === undefined ? '' : String(record.placement[c.id]),
        choices: scale,
      })),
      submit: {
        title: participantText(ctx.locale, 'save'),
        data: stamp(ctx.round.id, pos.step, pos.index, record.rev, 'next'),
      },
      back: backAction(ctx, pos, record),
    },
  };
}

export function reviewView(
  ctx: InterviewContext,
  step: Extract<Step, { kind: 'qsortReview' }>,
  pos: Position,
  record: InterviewRecord,
  nudges: string[] = [],
): InterviewView {
  const order = cardsOf(ctx.deck).filter((c) => record.selection.includes(c.id));
  const columns = [];
  const columnChoices = [];
  for (let c = ctx.guide.scale.max; c >= ctx.guide.scale.min; c--) {
    const names = order
      .filter((card) => record.placement[card.id] === c)
      .map((card) => localize(card.name, ctx.locale));
    columns.push({
      label: columnLabel(ctx, c),
      cards: names.length ? names.join(' · ') : participantText(ctx.locale, 'reviewEmptyColumn'),
    });
    columnChoices.push({ title: columnLabel(ctx, c), value: String(c) });
  }
  return {
    template: 'review',
    data: {
      ...stepHeading(ctx, step, pos, record),
      intro: localize(step.intro, ctx.locale, varsOf(ctx, record)),
      nudges,
      columns,
      moveCardLabel: participantText(ctx.locale, 'reviewMoveCard'),
      moveToLabel: participantText(ctx.locale, 'reviewMoveTo'),
      cardChoices: order.map((c) => ({ title: localize(c.name, ctx.locale), value: c.id })),
      columnChoices,
      move: {
        title: participantText(ctx.locale, 'reviewMove'),
        data: stamp(ctx.round.id, pos.step, pos.index, record.rev, 'move'),
      },
      confirm: {
        title: participantText(ctx.locale, 'reviewConfirm'),
        data: stamp(ctx.round.id, pos.step, pos.index, record.rev, 'confirm'),
      },
      back: backAction(ctx, pos, record),
    },
  };
}

function questionsView(ctx: InterviewContext, step: Step, pos: Position, record: InterviewRecord): InterviewView {
  let vars = varsOf(ctx, record);
  let questions: Question[];
  let intro: string | undefined;
  let answers: Answers | undefined;
  if (step.kind === 'followUps') {
    const id = defined(extremeCards(ctx, record)[pos.index], 'card of a follow-up position');
    const card = cardsOf(ctx.deck).find((c) => c.id === id)!;
    const column = columnLabel(ctx, defined(record.placement[id], 'column of an extreme card'));
    vars = { ...vars, competency: localize(card.name, ctx.locale), column };
    intro = `${localize(step.intro, ctx.locale, vars)}\n\n**${localize(card.name, ctx.locale)}** (${localize(card.clusterName, ctx.locale)}): ${localize(card.description, ctx.locale)}`;
    questions = step.questions;
    answers = record.followUps[id]?.answers;
  } else if (step.kind === 'questions') {
    intro = step.intro && localize(step.intro, ctx.locale, vars);
    questions = step.questions;
    answers = record.answers[step.id];
  } else {
    throw new Error(`step "${step.id}" has no questions`);
  }
  return {
    template: 'questions',
    data: {
      ...stepHeading(ctx, step, pos, record),
      intro: intro ?? '',
      questions: questionViews(ctx, questions, answers, vars),
      submit: {
        title: participantText(ctx.locale, 'save'),
        data: stamp(ctx.round.id, pos.step, pos.index, record.rev, 'next'),
      },
      back: backAction(ctx, pos, record),
    },
  };
}

function infoView(
  ctx: InterviewContext,
  step: Extract<Step, { kind: 'info' | 'closing' }>,
  pos: Position,
  record: InterviewRecord,
): InterviewView {
  return {
    template: 'info',
    data: {
      ...stepHeading(ctx, step, pos, record),
      paragraphs: [
        ...step.body.map((p) => localize(p, ctx.locale, varsOf(ctx, record))),
        ...(step.kind === 'closing' ? [contactLine(ctx)] : []),
      ].filter(Boolean),
      // The closing step has nothing to press: the interview is complete when it is shown.
      actions:
        step.kind === 'closing'
          ? []
          : [
              {
                title: participantText(ctx.locale, 'next'),
                data: stamp(ctx.round.id, pos.step, pos.index, record.rev, 'next'),
              },
            ],
    },
  };
}

/** The card for where the participant is now. */
export function viewOf(ctx: InterviewContext, record: InterviewRecord, nudges: string[] = []): InterviewView {
  const pos = record.position;
  const step = stepOf(ctx, pos.step);
  switch (step.kind) {
    case 'qsortPick':
      return pickView(ctx, step, pos, record);
    case 'qsortPlace':
      return placeView(ctx, step, pos, record);
    case 'qsortReview':
      return reviewView(ctx, step, pos, record, nudges);
    case 'questions':
    case 'followUps':
      return questionsView(ctx, step, pos, record);
    case 'info':
    case 'closing':
      return infoView(ctx, step, pos, record);
    case 'consent':
      throw new Error('the consent step has no position after consent');
  }
}

export function withdrawConfirmView(ctx: InterviewContext, record: InterviewRecord): InterviewView {
  return {
    template: 'info',
    data: {
      round: roundName(ctx),
      title: participantText(ctx.locale, 'withdrawConfirmTitle'),
      progress: '',
      paragraphs: [participantText(ctx.locale, 'withdrawConfirmBody')],
      actions: [
        {
          title: participantText(ctx.locale, 'withdrawYes'),
          data: stamp(ctx.round.id, record.position.step, record.position.index, record.rev, 'withdrawYes'),
        },
        {
          title: participantText(ctx.locale, 'withdrawNo'),
          data: stamp(ctx.round.id, record.position.step, record.position.index, record.rev, 'withdrawNo'),
        },
      ],
    },
  };
}

export type SummaryLine = string | { label: string; value: string };

function readOnlyView(round: string, title: string, lines: SummaryLine[], status: string): InterviewView {
  const data = { round, title, lines: lines.map((l) => (typeof l === 'string' ? { label: '', value: l } : l)), status };
  return { template: 'summary', data };
}

/** The read-only card that replaces a submitted one, so that it cannot be pressed again. */
export function summaryView(ctx: InterviewContext, title: string, lines: SummaryLine[], status: string): InterviewView {
  return readOnlyView(roundName(ctx), title, lines, status);
}

/** A read-only card of texts alone, for where no round is at hand. */
export function noteView(texts: string[]): InterviewView {
  return readOnlyView('', '', texts, '');
}

/** An answer as the participant chose it: the label of a choice, not its id; a dash when skipped. */
export function answerText(ctx: InterviewContext, q: Question, value: AnswerValue | undefined): string {
  if (value === null || value === undefined || value === '') return '–';
  if (q.type === 'choice') return choicesOf(ctx, q).find((c) => c.value === value)?.title ?? String(value);
  return String(value);
}
