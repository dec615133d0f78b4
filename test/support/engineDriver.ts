import { afterConsent, createRecord, fingerprint, handleTurn } from '../../src/interview/engine.js';
import type {
  ConsentData,
  InfoData,
  InterviewView,
  PickData,
  PlaceData,
  QuestionsData,
  ReviewData,
  SummaryData,
} from '../../src/interview/cardViews.js';
import type {
  Input,
  InterviewContext,
  InterviewRecord,
  Participant,
  Reply,
  TurnResult,
} from '../../src/interview/types.js';
import { at } from './defined.js';

/** A card as the tests read it: any field of any participant template, to check without narrowing first. */
type ShownCard = InterviewView & {
  data: Partial<InfoData & ConsentData & QuestionsData & PickData & PlaceData & ReviewData & SummaryData>;
};

type ActionData = { wz: { s: string; i: number; r: number; a: string; rd: string } };

/** Drives the pure engine the way the session does, keeping the record in memory. */
export class EngineDriver {
  participant: Participant = { status: 'new' };
  last!: TurnResult;
  /** The newest card the participant has in the chat: an error reply sends none, so the old one stays. */
  shown!: InterviewView;

  constructor(public ctx: InterviewContext) {}

  get record(): InterviewRecord {
    if (this.participant.status !== 'active') throw new Error(`no record: participant is ${this.participant.status}`);
    return this.participant.record;
  }

  turn(input: Input): TurnResult {
    const result = handleTurn(this.ctx, this.participant, input);
    this.last = result;
    const { outcome } = result;
    if (outcome.kind === 'save') {
      expect(outcome.expectedRev).toBe(this.record.rev);
      this.participant = { status: 'active', record: outcome.record };
    } else if (outcome.kind === 'consented') {
      const record = {
        ...createRecord(
          this.ctx,
          'A',
          outcome.quote,
          input.kind === 'submit' ? fingerprint(this.ctx.submitKey, input.data) : null,
        ),
        rev: 1,
      };
      this.participant = { status: 'active', record };
      this.last = { ...result, replies: [...result.replies, ...afterConsent(this.ctx, record)] };
    } else if (outcome.kind === 'declined') {
      this.participant = { status: 'declined' };
    } else if (outcome.kind === 'withdraw') {
      this.participant = { status: 'new' };
    }
    const cards = this.last.replies.filter((r): r is Extract<Reply, { kind: 'card' }> => r.kind === 'card');
    this.shown = cards.at(-1)?.card ?? this.shown;
    return this.last;
  }

  say(text: string): TurnResult {
    return this.turn({ kind: 'text', text });
  }

  /** The newest card in the chat, or the last card of the given replies. */
  card(result?: TurnResult): ShownCard {
    if (!result) return this.shown;
    const cards = result.replies.filter((r): r is Extract<Reply, { kind: 'card' }> => r.kind === 'card');
    if (!cards.length) throw new Error(`no card in replies: ${JSON.stringify(result.replies)}`);
    return at(cards, -1, 'card reply').card;
  }

  texts(result: TurnResult = this.last): string[] {
    return result.replies.filter((r): r is Extract<Reply, { kind: 'text' }> => r.kind === 'text').map((r) => r.text);
  }

  /** The data of a card button (by its action), merged with the inputs. */
  action(view: InterviewView, action: string): ActionData {
    const found = JSON.stringify(view.data).match(new RegExp(`\\{"wz":\\{[^}]*"a":"${action}"[^}]*\\}\\}`));
    if (!found) throw new Error(`card ${view.template} has no action ${action}`);
    return JSON.parse(found[0]) as ActionData;
  }

  press(action: string, inputs: Record<string, string> = {}, view: InterviewView = this.card()): TurnResult {
    return this.turn({ kind: 'submit', data: { ...this.action(view, action), ...inputs } });
  }
}
