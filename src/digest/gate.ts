import type { DigestLogEntry } from '../ports/stores.js';

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
 *
 * Digests built at the same time (two instances, each reading the log before the other wrote to it) are settled by
 * the log's order: an entry's details count only if they came at least k after those of the entries before it, and
 * a digest whose details do not count is built again without them before it is sent (src/digest/composer.ts).
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
 * The details each log entry showed, in log order. An entry whose details came fewer than k after the last counted
 * ones (a digest built at the same time as another) counts 0: it is built again without them. Entries written before
 * the log recorded details were all sent with details from k completed interviews on; they count as sent.
 */
function shown(log: DigestLogEntry[], k: number): number[] {
  let last = 0;
  return log.map((e) => {
    if (e.details === undefined) {
      const legacy = e.completed >= k ? e.completed : 0;
      last = Math.max(last, legacy);
      return legacy;
    }
    if (e.details === 0 || e.details < last + k) return 0;
    last = e.details;
    return e.details;
  });
}

/** The details a period's first log entry counts for (undefined when the period is not in the log). */
export function shownDetails(log: DigestLogEntry[], period: string, k: number): number | undefined {
  const at = log.findIndex((e) => e.period === period);
  return at < 0 ? undefined : shown(log, k)[at];
}

/**
 * The gate for a digest over `completedAt` (one entry per completed interview), given the round's log. A period that
 * was built before (a restart in the middle of sending it to several channels, or a second instance) shows its
 * details again only over exactly the same interviews: as many, and none completed after it was first built.
 */
export function detailGate(log: DigestLogEntry[], period: string | null, completedAt: string[], k: number): DetailGate {
  const counts = shown(log, k);
  const last = counts.reduce((max, d) => Math.max(max, d), 0);
  const own = period === null ? -1 : log.findIndex((e) => e.period === period);
  const before = log[own];
  const shownBefore = counts[own];
  const publish =
    before && shownBefore !== undefined
      ? shownBefore > 0 && completedAt.length === shownBefore && completedAt.every((at) => at <= before.at)
      : completedAt.length >= last + k;
  return { publish, last, nextAt: last + k };
}
