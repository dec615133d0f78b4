import { AnalysisError } from './errors.js';
import { cell } from './cell.js';

/**
 * The sorts, each centred and scaled to unit length: column j holds (x_ij - mean_j) / sqrt(sum_i (x_ij - mean_j)^2).
 * The Pearson correlation of two sorts is then the dot product of their columns (R = U'U), and the N x N matrix
 * never has to be built: its non-zero eigenvalues are those of the statements-side matrix UU' (see extract.ts).
 */
export interface Standardized {
  /** Statements. */
  n: number;
  /** Sorts. */
  sorts: number;
  /** Sort-major: the value of statement i in sort j is at j * n + i. */
  u: Float64Array;
}

/** Centres and scales every sort; a sort with the same value for every statement cannot be correlated and is refused. */
export function standardize(sorts: number[][], names?: string[]): Standardized {
  const [first] = sorts;
  if (first === undefined) throw new AnalysisError('there are no sorts to analyse');
  const n = first.length;
  if (n < 2) throw new AnalysisError(`a sort needs at least 2 statements (found ${n})`);
  const u = new Float64Array(n * sorts.length);
  sorts.forEach((sort, j) => {
    const label = names?.[j] !== undefined ? `"${names[j]}" (number ${j + 1})` : `number ${j + 1}`;
    if (sort.length !== n) throw new AnalysisError(`sort ${label} has ${sort.length} values; the first sort has ${n}`);
    let mean = 0;
    for (const [i, v] of sort.entries()) {
      if (!Number.isFinite(v))
        throw new AnalysisError(`sort ${label} has a value that is not a number at statement ${i + 1}`);
      mean += v;
    }
    mean /= n;
    let ss = 0;
    for (const v of sort) ss += (v - mean) ** 2;
    if (!(ss > 0)) {
      throw new AnalysisError(
        `sort ${label} gives every statement the same value (${sort[0]}): a sort without variance cannot be correlated with the others. Leave it out of the analysis.`,
      );
    }
    const scale = 1 / Math.sqrt(ss);
    sort.forEach((v, i) => {
      u[j * n + i] = (v - mean) * scale;
    });
  });
  return { n, sorts: sorts.length, u };
}

/** The full N x N Pearson correlation matrix (row-major). Only for small N: the centroid method and the report. */
export function correlationMatrix(std: Standardized): Float64Array {
  const { n, sorts: N, u } = std;
  const r = new Float64Array(N * N);
  for (let a = 0; a < N; a++) {
    r[a * N + a] = 1;
    for (let b = a + 1; b < N; b++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += cell(u, a * n + i) * cell(u, b * n + i);
      r[a * N + b] = dot;
      r[b * N + a] = dot;
    }
  }
  return r;
}

/** Pearson's r of two sorts. */
export function pearson(a: number[], b: number[]): number {
  const std = standardize([a, b]);
  return cell(correlationMatrix(std), 1);
}
