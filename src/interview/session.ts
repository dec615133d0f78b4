import { TZDate } from '@date-fns/tz';
import { addDays, format } from 'date-fns';
import type { Content } from '../content/load.js';
import type { Round } from '../content/schema.js';
import { KeyedLock } from '../storage/keyedLock.js';
import { StaleWriteError, type ConversationTarget, type KeyEntry, type Stores } from '../storage/ports.js';
import { TIME_ZONE } from '../time.js';
import { roundOfSubmission, Submission } from './actions.js';
import { parseCommand } from './commands.js';
import { afterConsent, createRecord, fingerprint, handleTurn } from './engine.js';
import { t } from './messages.js';
import { localize } from './text.js';
import type { CardView, Input, InterviewContext, InterviewRecord, Locale, Participant, Reply } from './types.js';

export interface TurnRequest {
  /** The keyed hash of the Teams identity; the session never sees the identity itself. */
  pseudonym: string;
  locale: Locale;
  /** Only used to scrub answers, never stored. */
  participantName?: string;
  input: Input;
  /** Proactive turns (invitations, reminders) name their round. */
  roundId?: string;
  /** Where to reach the participant later (reminders); kept in the key store only. */
  target?: ConversationTarget;
}

export interface TurnResponse {
  replies: Reply[];
  submitted?: CardView;
}

/** A round takes answers while it is open and its dates include today (Amsterdam). */
export function acceptsAnswers(round: Round, now: Date): boolean {
  const today = format(new TZDate(now, TIME_ZONE), 'yyyy-MM-dd');
  return round.status === 'open' && round.opensAt <= today && today <= round.closesAt;
}

const newest = (a: Round, b: Round) => (b.openedAt ?? b.opensAt).localeCompare(a.openedAt ?? a.opensAt);

/**
 * Runs one participant turn against the stores: find the round, load, decide (pure engine), make the outcome
 * durable, and only then hand back the replies. Turns of one participant never interleave in this process;
 * across processes the record's revision check makes the later one take the stale-card path.
 */
export class InterviewSession {
  private readonly lock = new KeyedLock();

  constructor(private readonly content: Content, private readonly stores: Stores, private readonly clock: () => Date = () => new Date()) {}

  run(request: TurnRequest): Promise<TurnResponse> {
    return this.lock.run(request.pseudonym, async () => {
      try {
        return await this.turn(request);
      } catch (err) {
        // A second writer came first: decide again on what is stored now (stale card, or a silent double click).
        if (err instanceof StaleWriteError) return this.turn(request);
        throw err;
      }
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
  private async roundFor(request: TurnRequest, entries: Record<string, KeyEntry>, record: (roundId: string) => Promise<InterviewRecord | null>): Promise<Round | null> {
    const rounds = (await this.stores.answers.listRounds()).sort(newest);
    const named = request.roundId ?? (request.input.kind === 'submit' ? roundOfSubmission(request.input.data) : null);
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
    if (participant.status === 'declined' && round.status === 'closed') return t(locale, 'declinedClosed', values);
    if (participant.status !== 'active') return t(locale, 'roundNotOpen', values);
    if (participant.record.completedAt) return t(locale, 'completed', values);
    return t(locale, round.status === 'paused' ? 'roundPaused' : 'roundClosed', values);
  }

  private async participant(round: Round, entry: KeyEntry | undefined, read: (roundId: string) => Promise<InterviewRecord | null>): Promise<Participant> {
    const record = await read(round.id);
    // A key without answers is what a withdrawal interrupted between its two deletes leaves: start afresh.
    if (record) return { status: 'active', record };
    return { status: entry?.declined ? 'declined' : 'new' };
  }

  private async turn(request: TurnRequest): Promise<TurnResponse> {
    const text = (value: string): TurnResponse => ({ replies: [{ kind: 'text', text: value }] });
    if (request.target) await this.stores.keys.saveTarget(request.pseudonym, request.target);
    const entries = await this.stores.keys.entries(request.pseudonym);
    const records = this.recordsOf(entries);
    const round = await this.roundFor(request, entries, records);
    if (!round) return text(t(request.locale, 'noRound'));
    const ctx = this.context(round, request);
    const participant = await this.participant(round, entries[round.id], records);
    if (!acceptsAnswers(round, ctx.now)) {
      if (participant.status !== 'active') return text(this.notOpen(round, participant, request.locale));
      // Withdrawal stays possible while a round is closed or paused, until its keys are destroyed.
      const { input } = request;
      const action = input.kind === 'submit' ? Submission.safeParse(input.data).data?.wz.a : undefined;
      const withdrawing = (input.kind === 'text' && parseCommand(input.text) === 'withdraw') || action === 'withdrawYes' || action === 'withdrawNo';
      if (!withdrawing) return text(this.notOpen(round, participant, request.locale));
    }
    const result = handleTurn(ctx, participant, request.input);
    const { outcome } = result;
    const keys = this.stores.keys;
    switch (outcome.kind) {
      case 'save':
        await this.stores.answers.saveInterview(outcome.record, outcome.expectedRev);
        break;
      case 'consented': {
        const submittedPrint = request.input.kind === 'submit' ? fingerprint(request.input.data) : null;
        const record = await this.stores.answers.createInterview(round.id, (code) => createRecord(ctx, code, outcome.quote, submittedPrint));
        await keys.update(request.pseudonym, round.id, (entry) => ({ ...entry, code: record.code, declined: undefined }));
        return { replies: [...result.replies, ...afterConsent(ctx, record)], submitted: result.submitted };
      }
      case 'declined':
        await this.stores.answers.countEvent(round.id, 'declined');
        await keys.update(request.pseudonym, round.id, (entry) => ({ ...entry, declined: true }));
        break;
      case 'snooze':
        await keys.update(request.pseudonym, round.id, (entry) => ({ ...entry, snoozedUntil: addDays(ctx.now, 1).toISOString() }));
        break;
      case 'withdraw':
        if (participant.status === 'active') {
          await this.stores.answers.deleteInterview(round.id, participant.record.code);
          await this.stores.answers.countEvent(round.id, 'withdrawn');
        }
        await keys.unlink(request.pseudonym, round.id);
        break;
      case 'none':
        break;
    }
    return { replies: result.replies, submitted: result.submitted };
  }
}
