import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { Content } from '../content/load.js';
import type { Round } from '../content/schema.js';
import { KeyedLock } from '../storage/keyedLock.js';
import { StaleWriteError, type Stores } from '../storage/ports.js';
import { TIME_ZONE } from '../time.js';
import { afterConsent, createRecord, fingerprint, handleTurn } from './engine.js';
import { t } from './messages.js';
import type { CardView, Input, InterviewContext, Locale, Participant, Reply } from './types.js';

export interface TurnRequest {
  /** The keyed hash of the Teams identity; the session never sees the identity itself. */
  pseudonym: string;
  locale: Locale;
  /** Only used to scrub answers, never stored. */
  participantName?: string;
  input: Input;
}

export interface TurnResponse {
  replies: Reply[];
  submitted?: CardView;
}

/** The round a participant takes part in: the open, open-audience round that opened last. */
export function activeRound(rounds: Round[], now: Date): Round | null {
  const today = format(new TZDate(now, TIME_ZONE), 'yyyy-MM-dd');
  const open = rounds
    .filter((r) => r.status === 'open' && r.audience === 'open' && r.opensAt <= today && today <= r.closesAt)
    .sort((a, b) => (b.openedAt ?? b.opensAt).localeCompare(a.openedAt ?? a.opensAt));
  return open[0] ?? null;
}

/**
 * Runs one participant turn against the stores: load, decide (pure engine), make the outcome durable,
 * and only then hand back the replies. Turns of one participant never interleave in this process;
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

  private async participant(pseudonym: string, roundId: string): Promise<Participant> {
    const entry = await this.stores.keys.lookup(pseudonym, roundId);
    if (!entry?.code) return { status: entry?.declined ? 'declined' : 'new' };
    const record = await this.stores.answers.getInterview(roundId, entry.code);
    // A key without answers is what a withdrawal interrupted between its two deletes leaves: start afresh.
    return record ? { status: 'active', record } : { status: 'new' };
  }

  private async turn(request: TurnRequest): Promise<TurnResponse> {
    const round = activeRound(await this.stores.answers.listRounds(), this.clock());
    if (!round) return { replies: [{ kind: 'text', text: t(request.locale, 'noRound') }] };
    const ctx = this.context(round, request);
    const participant = await this.participant(request.pseudonym, round.id);
    const result = handleTurn(ctx, participant, request.input);
    const { outcome } = result;
    switch (outcome.kind) {
      case 'save':
        await this.stores.answers.saveInterview(outcome.record, outcome.expectedRev);
        break;
      case 'consented': {
        const submittedPrint = request.input.kind === 'submit' ? fingerprint(request.input.data) : null;
        const record = await this.stores.answers.createInterview(round.id, (code) => createRecord(ctx, code, outcome.quote, submittedPrint));
        await this.stores.keys.update(request.pseudonym, round.id, (entry) => ({ ...entry, code: record.code, declined: undefined }));
        return { replies: [...result.replies, ...afterConsent(ctx, record)], submitted: result.submitted };
      }
      case 'declined':
        await this.stores.answers.countEvent(round.id, 'declined');
        await this.stores.keys.update(request.pseudonym, round.id, (entry) => ({ ...entry, declined: true }));
        break;
      case 'withdraw':
        if (participant.status === 'active') {
          await this.stores.answers.deleteInterview(round.id, participant.record.code);
          await this.stores.answers.countEvent(round.id, 'withdrawn');
        }
        await this.stores.keys.unlink(request.pseudonym, round.id);
        break;
      case 'none':
        break;
    }
    return { replies: result.replies, submitted: result.submitted };
  }
}
