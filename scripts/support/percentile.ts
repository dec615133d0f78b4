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
