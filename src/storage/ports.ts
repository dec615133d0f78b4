import type { Round } from '../content/schema.js';
import type { InterviewRecord } from '../interview/types.js';

/** Raised when a record changed since it was read: another turn (a double click, another instance) came first. */
export class StaleWriteError extends Error {
  constructor(roundId: string, code: string) {
    super(`interview ${roundId}/${code} changed since it was read`);
    this.name = 'StaleWriteError';
  }
}

/** Round-level counts that carry no identity and no answers. */
export interface RoundCounters {
  /** Codes handed out so far; the next code is letterCode(issued). */
  issued: number;
  declined: number;
  withdrawn: number;
}

/**
 * The answers store: interviews under a round and a letter code, and anonymous counters.
 * It never sees a name, Teams id, tenant or conversation.
 */
export interface AnswerStore {
  /** Hands out the round's next letter code and stores the interview built for it, with rev 1. */
  createInterview(roundId: string, build: (code: string) => InterviewRecord): Promise<InterviewRecord>;
  getInterview(roundId: string, code: string): Promise<InterviewRecord | null>;
  /** Stores the record if the stored rev still equals expectedRev (else StaleWriteError); record.rev is the new one. */
  saveInterview(record: InterviewRecord, expectedRev: number): Promise<void>;
  deleteInterview(roundId: string, code: string): Promise<void>;
  countEvent(roundId: string, event: 'declined' | 'withdrawn'): Promise<void>;
  counters(roundId: string): Promise<RoundCounters>;
  listInterviews(roundId: string): AsyncIterable<InterviewRecord>;
  /** Rounds carry no identity: they live with the answers. */
  listRounds(): Promise<Round[]>;
  getRound(roundId: string): Promise<Round | null>;
  saveRound(round: Round): Promise<void>;
}

/** What the key store knows of a pseudonymous participant in one round. */
export type KeyEntry = { code: string } | { declined: true };

/**
 * The key store: everything that touches identity, and nothing else. Participants are known only by a
 * keyed hash (HMAC) of their Teams identity; it holds no answers.
 */
export interface KeyStore {
  lookup(pseudonym: string, roundId: string): Promise<KeyEntry | null>;
  link(pseudonym: string, roundId: string, entry: KeyEntry): Promise<void>;
  unlink(pseudonym: string, roundId: string): Promise<void>;
  /**
   * A random token per letter code of the round, created on first request and kept here: exports number sorts and
   * quotes R1, R2, ... by the rank of these tokens, so that the number cannot be joined to the letter code.
   */
  numberTokens(roundId: string, codes: string[]): Promise<Record<string, string>>;
}

export interface Stores {
  answers: AnswerStore;
  keys: KeyStore;
  close(): Promise<void>;
}
