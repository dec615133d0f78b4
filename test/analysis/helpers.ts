import { at, cell } from '../support/defined.js';
/** Test helpers for the analysis: matching factors up to order and sign, as published comparisons allow. */

export interface FactorMatch {
  /** ours[:, perm[f]] * signs[f] corresponds to reference column f. */
  perm: number[];
  signs: number[];
  /** The largest absolute difference of the matched loadings. */
  maxDifference: number;
}

function permutations(k: number): number[][] {
  if (k === 1) return [[0]];
  return permutations(k - 1).flatMap((p) =>
    Array.from({ length: k }, (_, i) => [...p.slice(0, i), k - 1, ...p.slice(i)]),
  );
}

/** The order and signs of our factors that best match the reference loadings (brute force; k is small). */
export function matchFactors(ours: number[][], reference: number[][]): FactorMatch {
  const k = at(reference, 0, 'reference row').length;
  let best: FactorMatch = { perm: [], signs: [], maxDifference: Infinity };
  for (const perm of permutations(k)) {
    const signs = perm.map((p, f) => {
      const dot = reference.reduce((s, row, j) => s + at(row, f) * cell(ours, j, p), 0);
      return dot < 0 ? -1 : 1;
    });
    let maxDifference = 0;
    reference.forEach((row, j) =>
      row.forEach((v, f) => {
        maxDifference = Math.max(maxDifference, Math.abs(cell(ours, j, at(perm, f)) * at(signs, f) - v));
      }),
    );
    if (maxDifference < best.maxDifference) best = { perm, signs, maxDifference };
  }
  return best;
}

/** Our statement-by-factor matrix reordered and re-signed to the reference's factors. */
export function aligned(ours: (number | null)[][], match: FactorMatch): (number | null)[][] {
  return ours.map((row) =>
    match.perm.map((p, f) => {
      const loading = at(row, p);
      return loading === null ? null : loading * at(match.signs, f) + 0;
    }),
  );
}

export function maxAbsDifference(a: (number | null)[][], b: number[][]): number {
  let max = 0;
  b.forEach((row, i) =>
    row.forEach((v, f) => {
      const x = cell(a, i, f);
      max = Math.max(max, x === null ? Infinity : Math.abs(x - v));
    }),
  );
  return max;
}
