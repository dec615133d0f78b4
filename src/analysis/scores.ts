import { at, type Loadings } from './extract.js';
import { cell } from './cell.js';
import { defined } from '../defined.js';

/** Loadings this close to ±1 have an infinite weight a / (1 - a^2): the limit is taken (see zScores). */
const UNIT = 1 - 1e-12;

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += defined(values[i], 'value');
  return s / values.length;
}

/** The sample standard deviation (n - 1), as R's sd(). */
export function sd(values: ArrayLike<number>): number {
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (defined(values[i], 'value') - m) ** 2;
  return Math.sqrt(s / (values.length - 1));
}

/** The weight of a flagged sort in its factor's scores: a / (1 - a^2) (Brown 1980: 242). */
export function weight(a: number): number {
  return a / (1 - a * a);
}

/**
 * Statement z-scores per factor as qmethod's qzscores: the weighted sum over the factor's flagged sorts of their raw
 * values, weight a / (1 - a^2), standardised over the statements (mean 0, sample sd 1). A factor without flagged
 * sorts has no scores (null). Where a flagged loading is ±1 (to 1e-12; two identical sorts, say) the weight is
 * infinite and R returns NaN: the limit is taken instead, those sorts alone counting, each with weight ±1.
 * Returns one row per statement, one column per factor.
 */
export function zScores(sorts: number[][], loadings: Loadings, flags: (number | null)[]): (number | null)[][] {
  const n = defined(sorts[0], 'first sort').length;
  const k = loadings.k;
  const columns: (Float64Array | null)[] = [];
  for (let f = 0; f < k; f++) {
    const members = flags.map((flag, j) => (flag === f ? j : -1)).filter((j) => j >= 0);
    if (members.length === 0) {
      columns.push(null);
      continue;
    }
    const units = members.filter((j) => Math.abs(at(loadings, j, f)) >= UNIT);
    const weights =
      units.length > 0
        ? units.map((j) => [j, Math.sign(at(loadings, j, f))] as const)
        : members.map((j) => [j, weight(at(loadings, j, f))] as const);
    const sums = new Float64Array(n);
    for (const [j, w] of weights) {
      const sort = defined(sorts[j], 'sort of a defining member');
      for (let i = 0; i < n; i++) sums[i] = cell(sums, i) + defined(sort[i], 'value of a sort') * w;
    }
    const m = mean(sums);
    const s = sd(sums);
    columns.push(s > 0 ? sums.map((v) => (v - m) / s) : null);
  }
  return Array.from({ length: n }, (_, i) => columns.map((c) => (c ? cell(c, i) : null)));
}

/** Ties closer than this (relative) count as equal: ties that are exact in exact arithmetic may differ in the last bits. */
const TIE = 1e-10;

/**
 * The factor array of one factor as qmethod's qzscores: the distribution's values sorted ascending, and each
 * statement given the value at its rank among the z-scores (ties: R's average rank, truncated as R truncates an index,
 * and every tied statement gets the lowest value of its group, as qmethod does).
 */
export function factorArray(z: (number | null)[], distribution: number[]): (number | null)[] {
  if (z.some((v) => v === null)) return z.map(() => null);
  const values = z as number[];
  const q = [...distribution].sort((a, b) => a - b);
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = new Array<number | null>(values.length).fill(null);
  const rank = (r: number) => defined(order[r], 'ranked z-score');
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    const [lowest] = rank(start);
    const scale = Math.max(1, Math.abs(lowest));
    while (end < order.length && rank(end)[0] - lowest <= TIE * scale) end++;
    // Ranks start + 1 .. end (1-based); their average, truncated, indexes q (1-based).
    const averageRank = (start + 1 + end) / 2;
    const value = defined(q[Math.floor(averageRank) - 1], 'distribution value');
    for (let r = start; r < end; r++) out[rank(r)[1]] = value;
    start = end;
  }
  return out;
}
