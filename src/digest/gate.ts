import type { DigestLogEntry } from '../storage/ports.js';

/*
 * When a digest may publish its details, so that two digests cannot be subtracted to give one person's answers.
 *
 * A detail section is published only when the number of completed interviews has grown by at least k since the last
 * detail section of the round. The round's digest log (counts only) records, per digest, over how many completed
 * interviews its details were. The rule is per round, not per channel: every channel of a round gets the same digest,
 * so a member of two channels cannot subtract one channel's digest from the other's either.
 *
 * Why this holds: the sizes of published detail sections grow by k or more each time, so a new one over a set T and
 * any earlier one over S satisfy |T| ≥ |S| + k, and T holds at least |T| − |S ∩ T| ≥ k interviews that S did not.
 * Withdrawals only make the gap larger.
 */

export interface DetailGate {
  /** Whether this digest shows its details. */
  publish: boolean;
  /** Completed interviews the last published details were over; 0 when none were published yet. */
  last: number;
  /** The number of completed interviews from which new details follow. */
  nextAt: number;
}

/** The first log entry of a digest period: what was decided when the digest was first built. */
export function entryOf(log: DigestLogEntry[], period: string): DigestLogEntry | undefined {
  return log.find((e) => e.period === period);
}

/** The digest before this period's (for "the change since the previous digest"): the last entry of another period. */
export function previousEntry(log: DigestLogEntry[], period: string): DigestLogEntry | undefined {
  const own = log.findIndex((e) => e.period === period);
  const before = own < 0 ? log : log.slice(0, own);
  return before[before.length - 1];
}

/**
 * The gate for a digest over `completedAt` (one entry per completed interview), given the round's log. A period that
 * was built before (a restart in the middle of sending it to several channels, or a second instance) shows its
 * details again only over exactly the same interviews: as many, and none completed after it was first built.
 */
export function detailGate(log: DigestLogEntry[], period: string | null, completedAt: string[], k: number): DetailGate {
  // Entries written before the log said so: details were shown from k completed interviews on.
  const details = (e: DigestLogEntry) => e.details ?? (e.completed >= k ? e.completed : 0);
  const last = log.reduce((max, e) => Math.max(max, details(e)), 0);
  const own = period === null ? undefined : entryOf(log, period);
  const publish = own
    ? details(own) > 0 && completedAt.length === details(own) && completedAt.every((at) => at <= own.at)
    : completedAt.length >= last + k;
  return { publish, last, nextAt: last + k };
}
