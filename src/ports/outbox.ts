import type { ConversationTarget } from './target.js';

export type JobKind = 'invite' | 'remind' | 'digest';
/**
 * pending: waiting (maybe for a retry); sending: claimed by a sender; sent; failed: gave up or refused;
 * unreachable: the app is not installed for the user or they blocked it; uncertain: a sender died mid-send,
 * so it is not sent again (a second invitation is worse than a missing one).
 */
export type JobStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'unreachable' | 'uncertain';

/** A proactive message to one participant; it names a pseudonym and a chat target, so it lives in the key store. */
export interface OutboxJob {
  /** Deterministic, e.g. invite:<round>:<pseudonym>, so enqueueing twice is harmless. */
  id: string;
  kind: JobKind;
  roundId: string;
  /** The participant, for invitations and reminders; empty for a digest to a channel. */
  pseudonym: string;
  target: ConversationTarget;
  /** For a digest: which one (an ISO date for a weekly one, "final", or "manual-<time>"). */
  period?: string;
  status: JobStatus;
  attempts: number;
  notBefore: string;
  createdAt: string;
  claimedAt?: string;
  /** Set just before the message goes out: a job claimed but never started can safely go back to pending. */
  startedAt?: string;
  doneAt?: string;
  lastError?: string;
}

export type DeliveryResult =
  | { outcome: 'sent'; conversationId?: string }
  | { outcome: 'retry'; retryAfterMs?: number; error: string }
  | { outcome: 'unreachable'; error: string }
  | { outcome: 'failed'; error: string };

/** Sends one job's message; the Teams edge implements it with the Bot Connector. */
export interface Messenger {
  deliver(job: OutboxJob): Promise<DeliveryResult>;
  /** Records what a delivered job changes (its chat, when the invitation went out); retried by the outbox. */
  recordDelivery?(job: OutboxJob, conversationId: string | undefined): Promise<void>;
}

export interface OutboxStore {
  /** Adds the jobs whose id is not known yet; returns how many were new. */
  enqueue(jobs: OutboxJob[]): Promise<number>;
  /** Pending jobs due at `now`, oldest first. */
  due(now: Date, limit: number): Promise<OutboxJob[]>;
  /** Marks a pending job as sending; false when another sender took it first. */
  claim(id: string, now: Date): Promise<boolean>;
  finish(id: string, change: Partial<OutboxJob>): Promise<void>;
  /** Records that the send of a claimed job begins now. */
  markStarted(id: string, now: Date): Promise<void>;
  /**
   * After a crash: a job left in "sending" whose send had started becomes "uncertain" (it may have arrived, so it is
   * not sent again); one that was only claimed (waiting for the rate) goes back to "pending". Returns the uncertain.
   */
  recover(): Promise<number>;
  /**
   * This sender gives up on a job it claimed (its bookkeeping failed): recover() may settle it from now on, as
   * uncertain if its send had started. A store whose recovery waits for a dead instance's lease needs nothing.
   */
  release?(id: string): void;
  list(roundId: string): Promise<OutboxJob[]>;
  /** One job, or null when it is not (or no longer) queued. */
  get(id: string): Promise<OutboxJob | null>;
  /**
   * Forgets every job, in any state, that names the participant: in one round, or in all of them (withdrawal).
   * A job being sent right now finishes its send, but its bookkeeping finds no job and changes nothing.
   */
  removeParticipant(pseudonym: string, roundId?: string): Promise<number>;
  /** Forgets every job of a round (they name chat targets); the round's counts are kept elsewhere. */
  removeRound(roundId: string): Promise<number>;
}
