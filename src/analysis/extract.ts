import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { correlationMatrix, type Standardized } from './correlate.js';
import { AnalysisError } from './errors.js';
import { cell } from './cell.js';
import { defined } from '../defined.js';

/** Loadings: one row per sort, one column per factor, row-major (sort j, factor f at j * k + f). */
export interface Loadings {
  sorts: number;
  k: number;
  a: Float64Array;
}

export const at = (l: Loadings, j: number, f: number): number => cell(l.a, j * l.k + f);

export function toRows(l: Loadings): number[][] {
  return Array.from({ length: l.sorts }, (_, j) => Array.from(l.a.subarray(j * l.k, (j + 1) * l.k)));
}

export function fromRows(rows: number[][]): Loadings {
  const k = rows[0]?.length ?? 0;
  const a = new Float64Array(rows.length * k);
  rows.forEach((row, j) =>
    row.forEach((v, f) => {
      a[j * k + f] = v;
    }),
  );
  return { sorts: rows.length, k, a };
}

/** The statements-side cross-product UU' (n x n), built sort by sort: memory n^2, time n^2 N. */
export function crossProduct(std: Standardized): Float64Array {
  const { n, sorts: N, u } = std;
  const g = new Float64Array(n * n);
  for (let j = 0; j < N; j++) {
    const o = j * n;
    for (let a = 0; a < n; a++) {
      const ua = cell(u, o + a);
      if (ua === 0) continue;
      const row = a * n;
      for (let b = a; b < n; b++) g[row + b] = cell(g, row + b) + ua * cell(u, o + b);
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) g[a * n + b] = cell(g, b * n + a);
  return g;
}

/** Eigenvalues (descending) and unit eigenvectors (columns, in the same order) of a symmetric n x n matrix, by ml-matrix. */
export function symmetricEigen(g: Float64Array, n: number): { values: number[]; vectors: number[][] } {
  const rows = Array.from({ length: n }, (_, a) => Array.from(g.subarray(a * n, (a + 1) * n)));
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((v, i) => [v, i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  const v = evd.eigenvectorMatrix;
  return {
    values: order.map(([value]) => value),
    vectors: order.map(([, i]) => v.getColumn(i)),
  };
}

export interface Principal {
  /** Every non-zero eigenvalue of the sorts' correlation matrix, descending: min(sorts, statements) of them. */
  eigenvalues: number[];
  /** The first k principal components as loadings (eigenvector times the square root of its eigenvalue). */
  loadings: Loadings;
}

/**
 * Principal components of the N x N correlation matrix R = U'U without building it: UU' (n x n) has the same
 * non-zero eigenvalues, and if UU'e = λe then U'e is an eigenvector of R of length sqrt(λ), which is exactly the
 * loading vector sqrt(λ)·v of psych::principal, which qmethod uses. Memory O(nN), time O(n²N).
 */
export function principalComponents(std: Standardized, k: number): Principal {
  const { n, sorts: N, u } = std;
  const m = Math.min(N, n);
  if (!Number.isInteger(k) || k < 1 || k > m)
    throw new AnalysisError(`cannot extract ${k} components from ${N} sorts of ${n} statements (at most ${m})`);
  const { values, vectors } = symmetricEigen(crossProduct(std), n);
  const eigenvalues = values.slice(0, m).map((v) => (v > 0 ? v : 0));
  const a = new Float64Array(N * k);
  for (let f = 0; f < k; f++) {
    const e = Float64Array.from(defined(vectors[f], 'eigenvector'));
    for (let j = 0; j < N; j++) {
      let dot = 0;
      const o = j * n;
      for (let i = 0; i < n; i++) dot += cell(u, o + i) * cell(e, i);
      a[j * k + f] = dot;
    }
  }
  return { eigenvalues, loadings: { sorts: N, k, a } };
}

/** Brown's centroid method builds the N x N correlation matrix and iterates over it: refused above this many sorts. */
export const CENTROID_MAX_SORTS = 1000;
const MAX_ITERATIONS = 10_000;

/**
 * Brown's (1980: 208-224) centroid extraction with iterated communalities, step for step as qmethod's centroid()
 * (Frans Hermans, 2021): the diagonal is zeroed; the sort with the lowest column sum is reflected until every column
 * sum is positive; the factor is iterated until every |mean - f^2| < spc; it is reflected back, its product is taken
 * from the (reflected) matrix and the residuals are reflected back. Two guards qmethod lacks: one sort is reflected
 * at a time (qmethod reflects all tied lowest at once), and a residual matrix that reflection cannot make positive,
 * or an iteration that does not settle, stops with an error instead of looping.
 */
export function centroid(std: Standardized, k: number, spc = 1e-5): Loadings {
  const N = std.sorts;
  if (N > CENTROID_MAX_SORTS)
    throw new AnalysisError(
      `the centroid method works on the ${N} x ${N} correlation matrix and is limited to ${CENTROID_MAX_SORTS} sorts; use principal components (--extraction pca)`,
    );
  if (!Number.isInteger(k) || k < 1 || k > N)
    throw new AnalysisError(`cannot extract ${k} centroid factors from ${N} sorts`);
  const t = correlationMatrix(std);
  const out = new Float64Array(N * k);
  const colSums = new Float64Array(N);
  for (let factor = 0; factor < k; factor++) {
    for (let i = 0; i < N; i++) t[i * N + i] = 0;
    for (let c = 0; c < N; c++) {
      let s = 0;
      for (let r = 0; r < N; r++) s += cell(t, r * N + c);
      colSums[c] = s;
    }
    const reflected: number[] = [];
    for (let guard = 0; ; guard++) {
      let oo = 0;
      for (let c = 1; c < N; c++) if (cell(colSums, c) < cell(colSums, oo)) oo = c;
      const lowest = cell(colSums, oo);
      if (lowest > 0) break;
      if (lowest === 0 || guard > N * N) {
        throw new AnalysisError(
          `centroid factor ${factor + 1} cannot be extracted: the residual correlations have no positive manifold (too many factors for these sorts?)`,
        );
      }
      // Reflect sort oo: row and column change sign; the other column sums lose twice the old entry.
      for (let c = 0; c < N; c++) {
        if (c === oo) continue;
        const v = cell(t, oo * N + c);
        colSums[c] = cell(colSums, c) - 2 * v;
        t[oo * N + c] = -v;
        t[c * N + oo] = -v;
      }
      colSums[oo] = -lowest;
      reflected.push(oo);
    }
    let rmean = Array.from(colSums, (s) => s / (N - 1));
    let t1 = rmean.map((m, c) => m + cell(colSums, c));
    let total = t1.reduce((a, b) => a + b, 0);
    let f1 = t1.map((v) => v / Math.sqrt(total));
    // Read at each test: the loop below replaces rmean and f1.
    const settled = () => f1.every((f, c) => Math.abs(defined(rmean[c], 'mean loading') - f * f) < spc);
    for (let iteration = 0; !settled(); iteration++) {
      if (iteration >= MAX_ITERATIONS || f1.some((f) => !Number.isFinite(f))) {
        throw new AnalysisError(
          `centroid factor ${factor + 1} did not settle (spc ${spc}); try fewer factors or principal components`,
        );
      }
      rmean = f1.map((f) => f * f);
      t1 = f1.map((f, c) => cell(colSums, c) + f * f);
      total = t1.reduce((a, b) => a + b, 0);
      f1 = t1.map((v) => v / Math.sqrt(total));
    }
    const tfac = f1.slice();
    for (const r of reflected) tfac[r] = -defined(tfac[r], 'centroid loading');
    tfac.forEach((v, j) => {
      out[j * k + factor] = v;
    });
    f1.forEach((fr, r) =>
      f1.forEach((fc, c) => {
        t[r * N + c] = cell(t, r * N + c) - fr * fc;
      }),
    );
    for (const r of [...reflected].reverse()) {
      for (let c = 0; c < N; c++) t[r * N + c] = -cell(t, r * N + c);
      for (let c = 0; c < N; c++) t[c * N + r] = -cell(t, c * N + r);
    }
  }
  return { sorts: N, k, a: out };
}

/** psych::principal's convention, which qmethod inherits: factors by sum of squared loadings (descending, stable), each signed so that its loadings sum to >= 0. */
export function orderAndSign(l: Loadings): Loadings {
  const { sorts: N, k, a } = l;
  const ss = Array.from({ length: k }, (_, f) => {
    let s = 0;
    for (let j = 0; j < N; j++) s += cell(a, j * k + f) ** 2;
    return s;
  });
  const order = ss
    .map((s, f) => [s, f] as const)
    .sort((x, y) => y[0] - x[0] || x[1] - y[1])
    .map(([, f]) => f);
  return signColumns({ sorts: N, k, a: permuteColumns(l, order).a });
}

export function signColumns(l: Loadings): Loadings {
  const { sorts: N, k } = l;
  const a = l.a.slice();
  for (let f = 0; f < k; f++) {
    let s = 0;
    for (let j = 0; j < N; j++) s += cell(a, j * k + f);
    if (s < 0) for (let j = 0; j < N; j++) a[j * k + f] = -cell(a, j * k + f);
  }
  return { sorts: N, k, a };
}

export function permuteColumns(l: Loadings, order: number[]): Loadings {
  const { sorts: N, k } = l;
  const a = new Float64Array(N * k);
  for (let j = 0; j < N; j++)
    order.forEach((from, to) => {
      a[j * k + to] = cell(l.a, j * k + from);
    });
  return { sorts: N, k, a };
}
