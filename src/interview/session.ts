import { addDays } from 'date-fns/addDays';
import type { Content } from '../content/load.js';
import type { Round } from '../content/schema.js';
import { KeyedLock } from '../keyedLock.js';
import { StaleWriteError, type ConversationTarget, type KeyEntry, type Stores } from '../ports/stores.js';
import { localDay } from '../time.js';
import { isWithdrawalAction, roundOfSubmission, submissionOf } from './actions.js';
import { parseCommand } from './commands.js';
import { afterConsent, createRecord, fingerprint, handleTurn } from './engine.js';
import { participantText } from './messages.js';
import { localize } from './text.js';
import type { InterviewView } from './cardViews.js';
import { noteView } from './views.js';
import type { Input, InterviewContext, InterviewRecord, Locale, Participant, Reply } from './types.js';
import { finishWithdrawals, stopInvitations, withdraw, withdrawable, type Withdrawn } from './withdrawal.js';
import { roundNames, WithdrawChoice, withdrawChoiceView, withdrawnSummaryView } from './withdrawalView.js';

export interface TurnRequest {
  /** The keyed hash of the Teams identity; the session never sees the identity itself. */
  pseudonym: string;
  locale: Locale;
  /** Only used to scrub answers, never stored. */
  participantName?: string;
  input: Input;
  /** Proactive turns (invitations, reminders) name their round. */
  roundId?: string;
  /**
   * Where to reach the participant later (reminders); kept in the key store only, and only from consent on (or
   * from an invitation, saved by the researchers' side): opening the chat leaves nothing behind.
   */
  target?: ConversationTarget;
  /** The chat may have changed since the target was saved (it was opened anew, or first seen by this process). */
  refreshTarget?: boolean;
}

export interface TurnResponse {
  replies: Reply[];
  submitted?: InterviewView;
  /** See TurnResult: the summary replaces the pressed card, not the next card. */
  showSubmitted?: boolean;
  /** The round the turn was about, when the participant takes part in it (to remember the summary card's id). */
  roundId?: string;
  /** The bot's earlier summary cards of withdrawn rounds (message ids): to be replaced by a neutral card. */
  erase?: { ids: string[]; card: InterviewView };
}

/** A round takes answers while it is open and its dates include today (Amsterdam). */
export function acceptsAnswers(round: Round, now: Date): boolean {
  const today = localDay(now);
  return round.status === 'open' && round.opensAt <= today && today <= round.closesAt;
}

/** A refreshed card is answered with a card: the turn's texts (a round that is closed, say) as a read-only note. */
function asCard(response: TurnResponse): TurnResponse {
  const shown = response.replies.find((reply) => reply.kind === 'card');
  if (shown) return { ...response, replies: [shown] };
  const texts = response.replies.flatMap((reply) => (reply.kind === 'text' ? [reply.text] : []));
  return { ...response, replies: [{ kind: 'card', card: noteView(texts) }] };
}

const newest = (a: Round, b: Round) => (b.openedAt ?? b.opensAt).localeCompare(a.openedAt ?? a.opensAt);

/**
 * Runs one participant turn against the stores: find the round, load, decide (pure engine), make the outcome
 * durable, and only then hand back the replies. Turns of one participant never interleave in this process;
 * across processes the record's revision check makes the later one take the stale-card path.
 */
export class InterviewSession {
  private readonly lock = new KeyedLock();

  /** submitKey: subKey(pseudonym secret, 'submit-fingerprint'), the same on every instance. */
  constructor(
    private readonly content: Content,
    private readonly stores: Stores,
    private readonly submitKey: Buffer,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  run(request: TurnRequest): Promise<TurnResponse> {
    return this.lock.run(request.pseudonym, async () => {
      let response: TurnResponse;
      try {
        response = await this.turn(request);
      } catch (err) {
        // A second writer came first: decide again on what is stored now (stale card, or a silent double click).
        if (!(err instanceof StaleWriteError)) throw err;
        response = await this.turn(request);
      }
      return request.input.kind === 'refresh' ? asCard(response) : response;
    });
  }

  private context(round: Round, request: TurnRequest): InterviewContext {
    return {
      guide: this.content.guides.get(round.guide)!,
      deck: this.content.decks.get(round.deck)!,
      round,
      locale: request.locale,
      now: this.clock(),
      participantName: request.participantName,
      submitKey: this.submitKey,
    };
  }

  /** The participant's interviews, each read at most once per turn (finding the round reads them already). */
  private recordsOf(entries: Record<string, KeyEntry>): (roundId: string) => Promise<InterviewRecord | null> {
    const read = new Map<string, Promise<InterviewRecord | null>>();
    return (roundId) => {
      const code = entries[roundId]?.code;
      if (!code) return Promise.resolve(null);
      if (!read.has(roundId)) read.set(roundId, this.stores.answers.getInterview(roundId, code));
      return read.get(roundId)!;
    };
  }

  /**
   * Which round this turn is about: the one a card or a proactive message names; else an interview in progress;
   * else the newest round the participant was invited to, took part in or refused, or may join (open to all):
   * someone who finished or refused a round hears about that round, not the welcome of an older open one.
   */
  private async roundFor(
    request: TurnRequest,
    entries: Record<string, KeyEntry>,
    record: (roundId: string) => Promise<InterviewRecord | null>,
  ): Promise<Round | null> {
    const rounds = (await this.stores.answers.listRounds()).sort(newest);
    const { input } = request;
    const named =
      request.roundId ?? (input.kind === 'submit' || input.kind === 'refresh' ? roundOfSubmission(input.data) : null);
    const byName = named ? rounds.find((r) => r.id === named) : undefined;
    if (byName) return byName;
    for (const round of rounds.filter((r) => entries[r.id]?.code)) {
      if (!(await record(round.id))?.completedAt) return round;
    }
    const now = this.clock();
    const known = (r: Round) => Boolean(entries[r.id]?.code || entries[r.id]?.declined || entries[r.id]?.invitedAt);
    const joinable = (r: Round) => acceptsAnswers(r, now) && r.audience === 'open';
    return rounds.find((r) => known(r) || joinable(r)) ?? null;
  }

  /** The one reply for a round that takes no answers now, fitting where the participant stands in it. */
  private notOpen(round: Round, participant: Participant, locale: Locale): string {
    const values = { round: localize(round.name, locale) };
    if (participant.status === 'declined' && round.status === 'closed')
      return participantText(locale, 'declinedClosed', values);
    if (participant.status !== 'active') return participantText(locale, 'roundNotOpen', values);
    if (participant.record.completedAt) return participantText(locale, 'completed', values);
    return participantText(locale, round.status === 'paused' ? 'roundPaused' : 'roundClosed', values);
  }

  private async participant(
    round: Round,
    entry: KeyEntry | undefined,
    read: (roundId: string) => Promise<InterviewRecord | null>,
  ): Promise<Participant> {
    const record = await read(round.id);
    // A key without answers is what a withdrawal interrupted between its two deletes leaves: start afresh.
    if (record) return { status: 'active', record };
    return { status: entry?.declined ? 'declined' : 'new' };
  }

  /**
   * Remembers the id of a summary card the bot showed in the chat for a round the participant takes part in, so
   * that a withdrawal can edit it to a neutral text. At most the last 100 (an interview has about 30 steps).
   */
  async rememberCard(pseudonym: string, roundId: string, activityId: string): Promise<void> {
    await this.stores.keys.update(pseudonym, roundId, (e) =>
      e?.code && !e.cards?.includes(activityId) ? { ...e, cards: [...(e.cards ?? []), activityId].slice(-100) } : e,
    );
  }

  /** "Stoppen", and a press on the withdrawal card: handled before any round is chosen, across all rounds. */
  private async withdrawal(
    request: TurnRequest,
    entries: Record<string, KeyEntry>,
    resumed: Withdrawn,
  ): Promise<TurnResponse | null> {
    const { input, locale } = request;
    const rounds = async (ids: string[]) =>
      (await this.stores.answers.listRounds())
        .filter((r) => ids.includes(r.id))
        .sort((a, b) => a.id.localeCompare(b.id));
    const done = async (result: Withdrawn, submitted?: InterviewView): Promise<TurnResponse> => {
      const gone = await rounds(result.rounds);
      const left = await rounds(withdrawable(await this.stores.keys.entries(request.pseudonym)));
      const replies: Reply[] = [
        { kind: 'text', text: participantText(locale, 'withdrawnFrom', { rounds: roundNames(gone, locale) }) },
      ];
      if (left.length)
        replies.push({
          kind: 'text',
          text: participantText(locale, 'withdrawOthersKept', { rounds: roundNames(left, locale) }),
        });
      return {
        replies,
        submitted,
        erase: {
          ids: result.cards,
          card: withdrawnSummaryView(locale, gone, participantText(locale, 'withdrawnCard')),
        },
      };
    };
    if (input.kind === 'text' && parseCommand(input.text) === 'withdraw') {
      const open = await rounds(withdrawable(entries));
      if (open.length) return { replies: [{ kind: 'card', card: withdrawChoiceView(locale, open) }] };
      // Typed again after an interrupted withdrawal: it has just been completed.
      if (resumed.rounds.length) return done(resumed);
      const declined = await rounds(await stopInvitations(this.stores, request.pseudonym, entries));
      if (declined.length)
        return {
          replies: [
            { kind: 'text', text: participantText(locale, 'stopInvited', { rounds: roundNames(declined, locale) }) },
          ],
        };
      return { replies: [{ kind: 'text', text: participantText(locale, 'nothingToWithdraw') }] };
    }
    // Only the withdrawal card sends the rounds to withdraw from: any other press is no choice (and is not parsed).
    if (input.kind !== 'submit' || (input.data as { withdraw?: unknown } | null)?.withdraw === undefined) return null;
    const choice = WithdrawChoice.safeParse(input.data);
    if (!choice.success) return null;
    const named = await rounds(choice.data.withdraw);
    const submitted = withdrawnSummaryView(locale, named, participantText(locale, 'withdrawConfirmTitle'), [
      participantText(locale, choice.data.wz.a === 'withdrawYes' ? 'withdrawYes' : 'withdrawNo'),
    ]);
    if (choice.data.wz.a !== 'withdrawYes')
      return { replies: [{ kind: 'text', text: participantText(locale, 'withdrawKept') }], submitted };
    const result = await withdraw(
      this.stores,
      request.pseudonym,
      choice.data.withdraw.filter((id) => entries[id]?.code),
      this.clock(),
    );
    if (result.rounds.length) return done(result, submitted);
    if (resumed.rounds.length) return done(resumed, submitted);
    return { replies: [{ kind: 'text', text: participantText(locale, 'nothingToWithdraw') }], submitted };
  }

  private async turn(request: TurnRequest): Promise<TurnResponse> {
    const text = (value: string): TurnResponse => ({ replies: [{ kind: 'text', text: value }] });
    let entries = await this.stores.keys.entries(request.pseudonym);
    const resumed = await finishWithdrawals(this.stores, request.pseudonym, entries);
    if (resumed.rounds.length) entries = await this.stores.keys.entries(request.pseudonym);
    const handled = await this.withdrawal(request, entries, resumed);
    if (handled) return handled;
    if (request.target && request.refreshTarget && Object.values(entries).some((e) => e.code || e.invitedAt)) {
      await this.stores.keys.saveTarget(request.pseudonym, request.target);
    }
    const records = this.recordsOf(entries);
    const round = await this.roundFor(request, entries, records);
    if (!round) return text(participantText(request.locale, 'noRound'));
    const ctx = this.context(round, request);
    const participant = await this.participant(round, entries[round.id], records);
    if (!acceptsAnswers(round, ctx.now)) {
      if (participant.status !== 'active') return text(this.notOpen(round, participant, request.locale));
      // Withdrawal stays possible while a round is closed or paused, until its keys are destroyed.
      const { input } = request;
      const action = input.kind === 'submit' ? submissionOf(input.data)?.wz.a : undefined;
      const withdrawing =
        (input.kind === 'text' && parseCommand(input.text) === 'withdraw') || isWithdrawalAction(action);
      if (!withdrawing) return text(this.notOpen(round, participant, request.locale));
    }
    const cards = entries[round.id]?.cards;
    const input =
      request.input.kind === 'refresh'
        ? { ...request.input, live: Boolean(request.input.cardId) && cards?.at(-1) === request.input.cardId }
        : request.input;
    const result = handleTurn(ctx, participant, input);
    const { outcome } = result;
    const keys = this.stores.keys;
    switch (outcome.kind) {
      case 'save':
        await this.stores.answers.saveInterview(outcome.record, outcome.expectedRev);
        break;
      case 'consented': {
        const submittedPrint = request.input.kind === 'submit' ? fingerprint(ctx.submitKey, request.input.data) : null;
        const record = await this.stores.answers.createInterview(round.id, (code) =>
          createRecord(ctx, code, outcome.quote, submittedPrint),
        );
        // From consent on, reminders may reach them: the target is saved with the code, in one durable write.
        await keys.update(
          request.pseudonym,
          round.id,
          (entry) => ({ ...entry, code: record.code, declined: undefined }),
          request.target,
        );
        return {
          replies: [...result.replies, ...afterConsent(ctx, record)],
          submitted: result.submitted,
          roundId: round.id,
        };
      }
      case 'declined':
        await this.stores.answers.countEvent(round.id, 'declined');
        await keys.update(request.pseudonym, round.id, (entry) => ({ ...entry, declined: true }));
        break;
      case 'snooze':
        await keys.update(request.pseudonym, round.id, (entry) => ({
          ...entry,
          snoozedUntil: addDays(ctx.now, 1).toISOString(),
        }));
        break;
      case 'withdraw': {
        const withdrawn = await withdraw(this.stores, request.pseudonym, [round.id], ctx.now);
        return {
          replies: result.replies,
          submitted: result.submitted,
          erase: {
            ids: withdrawn.cards,
            card: withdrawnSummaryView(request.locale, [round], participantText(request.locale, 'withdrawnCard')),
          },
        };
      }
      case 'none':
        break;
    }
    return {
      replies: result.replies,
      submitted: result.submitted,
      showSubmitted: result.showSubmitted,
      roundId: entries[round.id]?.code ? round.id : undefined,
    };
  }
}
