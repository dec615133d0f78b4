import { defined } from '../../src/defined.js';
/** The p-th percentile (nearest rank) of samples sorted ascending; NaN for none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return defined(sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))], 'value of a non-empty list');
}

/** The 99th percentile (nearest rank) of some latencies, in any order; NaN for none. */
export function p99(samples: number[]): number {
  return percentile(
    [...samples].sort((a, b) => a - b),
    99,
  );
}

/** The median of some figures, in any order: the middle one, or the mean of the middle two; NaN for none. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const upper = Math.floor(sorted.length / 2);
  if (sorted.length % 2) return percentile(sorted, 50);
  return sorted.length
    ? (defined(sorted[upper - 1], 'the lower middle') + defined(sorted[upper], 'the upper middle')) / 2
    : NaN;
}
