import type { Content } from '../content/load.js';
import type { Round } from '../content/schema.js';
import type { InterviewRecord } from '../interview/types.js';
import type { OutboxStore } from './outbox.js';
import type { ConversationTarget } from './target.js';

// Both the key store and the outbox name targets; those who import the stores' ports find it here too.
export type { ConversationTarget } from './target.js';

/** Raised when a record changed since it was read: another turn (a double click, another instance) came first. */
export class StaleWriteError extends Error {
  constructor(roundId: string, code: string) {
    super(`interview ${roundId}/${code} changed since it was read`);
    this.name = 'StaleWriteError';
  }
}

/**
 * The store cannot be used right now (a full or read-only disk, an I/O error, the database unreachable): nothing
 * of the turn was saved, and the same turn may succeed in a moment. The participant is told so in their language.
 */
export class StoreUnavailableError extends Error {
  constructor(reason: string) {
    super(`the store is unavailable: ${reason}`);
    this.name = 'StoreUnavailableError';
  }
}

/** Round-level counts that carry no identity and no answers. */
export interface RoundCounters {
  /** Codes handed out so far; the next code is letterCode(issued). */
  issued: number;
  declined: number;
  withdrawn: number;
}

/** An interview as its store keeps it: its code, and its record as UTF-8 JSON (or, cells: its export cells). */
export interface InterviewText {
  code: string;
  text: Buffer;
  /** text holds the interview's export cells (src/export/cells.ts), made for the key asked with. */
  cells?: true;
}

/**
 * The answers store: interviews under a round and a letter code, and anonymous counters.
 * It never sees a name, Teams id, tenant or conversation.
 */
export interface AnswerStore {
  /**
   * Hands out the round's next letter code and stores the interview built for it, with rev 1. build may be called
   * before the code is known (PostgreSQL hands it out and stores the record in one statement): it puts the code in
   * the record's `code` and nowhere else.
   */
  createInterview(roundId: string, build: (code: string) => InterviewRecord): Promise<InterviewRecord>;
  getInterview(roundId: string, code: string): Promise<InterviewRecord | null>;
  /** Stores the record if the stored rev still equals expectedRev (else StaleWriteError); record.rev is the new one. */
  saveInterview(record: InterviewRecord, expectedRev: number): Promise<void>;
  /**
   * From now on saves each completed interview with its CSV cells for this content, where a CSV export copies them
   * instead of parsing the record (PostgreSQL, whose export reads text; see src/export/cells.ts).
   */
  keepExportCells?(content: Pick<Content, 'guides' | 'decks'>): void;
  deleteInterview(roundId: string, code: string): Promise<void>;
  countEvent(roundId: string, event: 'declined' | 'withdrawn'): Promise<void>;
  counters(roundId: string): Promise<RoundCounters>;
  listInterviews(roundId: string): AsyncIterable<InterviewRecord>;
  /** The codes of the round's completed interviews, in no particular order (an export's first, light pass). */
  completedCodes(roundId: string): Promise<string[]>;
  /** The interviews of these codes, in the order given, a page at a time; a code with no interview is skipped. */
  interviewsByCode(roundId: string, codes: string[]): AsyncIterable<InterviewRecord>;
  /**
   * The same as their stored JSON, unparsed, where the store keeps them so (PostgreSQL): a CSV export hands these
   * to worker threads, which parse and write them while this thread reads on.
   */
  interviewTexts?(roundId: string, codes: string[], cellsKey?: string): AsyncIterable<InterviewText>;
  /** Rounds carry no identity: they live with the answers. */
  listRounds(): Promise<Round[]>;
  getRound(roundId: string): Promise<Round | null>;
  saveRound(round: Round): Promise<void>;
  digestLog(roundId: string): Promise<DigestLogEntry[]>;
  appendDigestLog(roundId: string, entry: DigestLogEntry): Promise<void>;
}

/** What the key store knows of a pseudonymous participant in one round; nothing of what they answered. */
export interface KeyEntry {
  /** Their letter code, from consent on. */
  code?: string;
  /** Said no at consent or to the invitation: no further contact in this round. */
  declined?: true;
  invitedAt?: string;
  remindersSent?: number;
  lastReminderAt?: string;
  /** "Not now" on the invitation: a reminder follows, not before this time. */
  snoozedUntil?: string;
  /**
   * Set when the participant confirmed a withdrawal, before anything is deleted: an interrupted withdrawal is
   * completed from here on the next turn or at start-up (src/interview/withdrawal.ts).
   */
  withdrawing?: string;
  /**
   * The ids of the bot's messages in their chat that show this round's answers (read-only summaries): at withdrawal
   * they are edited to a neutral text. They link to the chat, as the chat target does, never to the answers.
   */
  cards?: string[];
}

/** What a sent digest said, to report the change at the next one: counts only. */
export interface DigestLogEntry {
  period: string;
  at: string;
  invited: number;
  completed: number;
  inProgress: number;
  /** Completed interviews its detail section was over; 0 or absent when it had none (src/digest/gate.ts). */
  details?: number;
}

/**
 * The key store: everything that touches identity, and nothing else. Participants are known only by a
 * keyed hash (HMAC) of their Teams identity; it holds no answers.
 */
export interface KeyStore {
  lookup(pseudonym: string, roundId: string): Promise<KeyEntry | null>;
  /** All rounds a participant has an entry in. */
  entries(pseudonym: string): Promise<Record<string, KeyEntry>>;
  /**
   * Changes one entry atomically; returning null removes it. change may run more than once (PostgreSQL applies it
   * again when another writer came first): it must do nothing but compute the new entry. target: the participant's
   * chat target, saved in the same atomic write as the entry when the change leaves one (a consent's code and the
   * target that reminders need are durable together, in one write, and a target never exists without an entry).
   */
  update(
    pseudonym: string,
    roundId: string,
    change: (entry: KeyEntry | null) => KeyEntry | null,
    target?: ConversationTarget,
  ): Promise<KeyEntry | null>;
  /** Forgets the participant's entry in a round, and their chat target too when no other round knows them. */
  unlink(pseudonym: string, roundId: string): Promise<void>;
  /** Every participant with an entry in the round (for reminders and for destroying the round's keys). */
  participants(roundId: string): Promise<{ pseudonym: string; entry: KeyEntry }[]>;
  saveTarget(pseudonym: string, target: ConversationTarget): Promise<void>;
  target(pseudonym: string): Promise<ConversationTarget | null>;
  /**
   * Forgets the chat targets that nothing needs: no key entry of any round and no outbox job names the pseudonym
   * (someone who opened the chat and never consented, or a target a crash left behind). Returns how many.
   */
  purgeOrphanTargets(): Promise<number>;
  /** Researchers added in Teams (those of RESEARCHER_IDS are not stored). */
  researchers(): Promise<string[]>;
  setResearchers(ids: string[]): Promise<void>;
  /** The channels a round's digests go to (conversation references: identity-adjacent, so here). */
  digestChannels(roundId: string): Promise<ConversationTarget[]>;
  addDigestChannel(roundId: string, target: ConversationTarget): Promise<boolean>;
  /** Forgets a round's digest channels (when its keys are destroyed: no digest goes out after that). */
  removeDigestChannels(roundId: string): Promise<number>;
  /**
   * A random token per letter code of the round, created on first request and kept here: exports number sorts and
   * quotes R1, R2, ... by the rank of these tokens, so that the number cannot be joined to the letter code.
   * The token of each code in the order given (the one at index i is codes[i]'s).
   */
  numberTokens(roundId: string, codes: string[]): Promise<string[]>;
  /** Keeps an export or analysis link's id (a hash) until its first use or `expiresAt`. */
  issueLink(id: string, expiresAt: Date): Promise<void>;
  /**
   * Removes the link's id; true when it was there and unexpired: for exactly one caller, across instances.
   * Drops the links expired by `now` as well.
   */
  consumeLink(id: string, now: Date): Promise<boolean>;
}

export interface Stores {
  answers: AnswerStore;
  keys: KeyStore;
  /** Proactive messages to send; they name chat targets, so they belong with the keys. */
  outbox: OutboxStore;
  close(): Promise<void>;
}
