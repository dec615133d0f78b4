import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import type { Loadings } from './extract.js';
import { cell } from './cell.js';
import { defined } from '../defined.js';

export interface Varimax {
  loadings: Loadings;
  /** The k x k rotation matrix (row-major): rotated = unrotated x rotmat. */
  rotmat: number[][];
  iterations: number;
}

/**
 * Varimax rotation exactly as R's stats::varimax(x, normalize = TRUE, eps = 1e-5), which psych::principal (and so
 * qmethod) calls: rows scaled to unit length (Kaiser normalisation); from TT = I, at most 1000 times,
 *   z = x TT;  B = x' (z^3 - z diag(colSums(z^2)) / p);  TT = U V' of the SVD B = U D V';  d = sum(D)
 * until d < d_previous (1 + eps); then z = x TT, scaled back. A row of zeros (no common variance) stays zero where
 * R would divide by zero. With one factor there is nothing to rotate, as in R.
 */
export function varimax(l: Loadings, options: { normalize?: boolean; eps?: number } = {}): Varimax {
  const normalize = options.normalize ?? true;
  const eps = options.eps ?? 1e-5;
  const { sorts: p, k } = l;
  const identity: number[][] = Array.from({ length: k }, (_, r) =>
    Array.from({ length: k }, (_, c) => (r === c ? 1 : 0)),
  );
  if (k < 2) return { loadings: { sorts: p, k, a: l.a.slice() }, rotmat: identity, iterations: 0 };

  const x = l.a.slice();
  const sc = new Float64Array(p).fill(1);
  if (normalize) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let f = 0; f < k; f++) s += cell(x, j * k + f) ** 2;
      const length = Math.sqrt(s);
      sc[j] = length;
      if (length > 0) for (let f = 0; f < k; f++) x[j * k + f] = cell(x, j * k + f) / length;
    }
  }

  let tt = identity;
  let d = 0;
  let iterations = 0;
  const z = new Float64Array(p * k);
  for (let i = 1; i <= 1000; i++) {
    iterations = i;
    multiply(x, p, k, tt, z);
    const colSq = new Float64Array(k);
    for (let j = 0; j < p; j++) for (let f = 0; f < k; f++) colSq[f] = cell(colSq, f) + cell(z, j * k + f) ** 2;
    // B = x' (z^3 - z * colSq / p)
    const b = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let j = 0; j < p; j++) {
      for (let c = 0; c < k; c++) {
        const zc = cell(z, j * k + c);
        const w = zc * zc * zc - (zc * cell(colSq, c)) / p;
        if (w === 0) continue;
        for (let r = 0; r < k; r++) {
          const row = defined(b[r], 'row of B');
          row[c] = defined(row[c], 'entry of B') + cell(x, j * k + r) * w;
        }
      }
    }
    const svd = new SingularValueDecomposition(new Matrix(b), { autoTranspose: false });
    tt = svd.leftSingularVectors.mmul(svd.rightSingularVectors.transpose()).to2DArray();
    const dpast = d;
    d = svd.diagonal.reduce((s, v) => s + v, 0);
    if (d < dpast * (1 + eps)) break;
  }
  const out = new Float64Array(p * k);
  multiply(x, p, k, tt, out);
  if (normalize)
    for (let j = 0; j < p; j++) for (let f = 0; f < k; f++) out[j * k + f] = cell(out, j * k + f) * cell(sc, j);
  return { loadings: { sorts: p, k, a: out }, rotmat: tt, iterations };
}

function multiply(x: Float64Array, p: number, k: number, m: number[][], out: Float64Array): void {
  const rotation = Float64Array.from(m.flat()); // k x k, row-major
  for (let j = 0; j < p; j++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let r = 0; r < k; r++) s += cell(x, j * k + r) * cell(rotation, r * k + c);
      out[j * k + c] = s;
    }
  }
}
