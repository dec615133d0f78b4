import type { Deck, Guide, Round } from '../content/schema.js';
import type { CardView } from '../content/cardTemplate.js';
import type { InterviewView } from './cardViews.js';

export type Locale = 'nl' | 'en';
export type AnswerValue = string | number | null;
export type Answers = Record<string, AnswerValue>;

/** Where a participant is: a guide step, and the page (placement) or card (follow-ups) within it. */
export interface Position {
  step: string;
  index: number;
}

export interface FollowUp {
  column: number;
  answers: Answers;
}

/** One interview, as stored in the answers store: under a round and a letter code, never next to an identity. */
export interface InterviewRecord {
  roundId: string;
  code: string;
  guide: { id: string; version: string };
  deckId: string;
  /** Bumped on every save; cards carry it so that stale or double-clicked cards are recognised. */
  rev: number;
  consent: { participate: true; quote: boolean; at: string };
  /** Answers of the guide's question steps, per step id and question id. */
  answers: Record<string, Answers>;
  selection: string[];
  placement: Record<string, number>;
  followUps: Record<string, FollowUp>;
  nudges: { noLowest: boolean; topHeavy: boolean };
  position: Position;
  /** When each step was first shown and last answered. */
  stepTimes: Record<string, { firstAt: string; lastAt?: string }>;
  startedAt: string;
  completedAt: string | null;
  /** Fingerprint of the last applied submission: a second click on the same card is swallowed silently. */
  lastSubmit: string | null;
}

/** What the edge knows of a participant before the turn, loaded from the stores. */
export type Participant = { status: 'new' } | { status: 'declined' } | { status: 'active'; record: InterviewRecord };

export interface InterviewContext {
  guide: Guide;
  deck: Deck;
  round: Round;
  locale: Locale;
  now: Date;
  /** The participant's display name, used only to scrub it from their answers; never stored. */
  participantName?: string;
  /** Keys the double-click fingerprint of a submission (lastSubmit); never stored with the answers. */
  submitKey: Buffer;
}

export type Input =
  | { kind: 'start' }
  /** A proactive reminder: says so, then shows where the participant is. */
  | { kind: 'reminder' }
  /** A proactive invitation to the round. */
  | { kind: 'invitation' }
  | { kind: 'text'; text: string }
  | { kind: 'submit'; data: unknown }
  /**
   * Teams shows a card again (its `refresh`): the card as it should look now, never a write. `data` is the card's
   * stamp; `cardId` the message it is in (the edge); `live` whether that message is where the participant's
   * interview moves on in place, the last card of the round they pressed (the session).
   */
  | { kind: 'refresh'; data: unknown; cardId?: string; live?: boolean };

/** A message for the chat: text, or a card of a feature's templates (the interview's by default). */
export type Reply<View extends CardView = InterviewView> =
  { kind: 'text'; text: string } | { kind: 'card'; card: View };

/** What the edge must make durable after the turn, before it sends the replies. */
export type Outcome =
  | { kind: 'none' }
  | { kind: 'consented'; quote: boolean }
  | { kind: 'declined' }
  /** "Not now" on an invitation: remind later. */
  | { kind: 'snooze' }
  | { kind: 'save'; record: InterviewRecord; expectedRev: number }
  | { kind: 'withdraw' };

export interface TurnResult {
  outcome: Outcome;
  replies: Reply[];
  /** A read-only version of the card that was just submitted, to replace it in the chat. */
  submitted?: InterviewView;
  /**
   * The scrubber changed what the participant typed: the summary, which shows what was stored, replaces the
   * pressed card, rather than the next card in its place.
   */
  showSubmitted?: boolean;
}
