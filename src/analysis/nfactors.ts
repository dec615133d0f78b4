import { correlationMatrix, standardize } from './correlate.js';
import { at, crossProduct, symmetricEigen, type Loadings } from './extract.js';
import { seededRandom } from './random.js';
import { defined } from '../defined.js';

/*
 * How many factors: three criteria side by side (Watts and Stenner 2012: 105-110), all on the unrotated principal
 * components.
 *   - Kaiser-Guttman: eigenvalues above 1.
 *   - Humphrey's rule (Brown 1980: 223): a factor is significant when the product of its two highest loadings
 *     (absolute values) exceeds twice the standard error of a zero-order loading, 2 / sqrt(number of statements);
 *     counted from the first factor until one fails.
 *   - Parallel analysis (Horn 1965): the eigenvalues of random data of the same shape, at the 95th percentile over
 *     the iterations; factors are retained while the data's eigenvalue is above the random one. The random data
 *     here are the sorts themselves, each shuffled over the statements with a seeded generator: every random sort
 *     keeps its own distribution (forced, or the cards an open sort placed), which normal deviates would not.
 * The suggestion is parallel analysis (the most accurate of the three in simulation studies), or Humphrey's rule
 * when parallel analysis is switched off; at least 1.
 */

export interface ParallelOptions {
  /** 0 switches parallel analysis off. Default: 500 up to 200 sorts, fewer above (see defaultIterations). */
  iterations?: number;
  seed?: number;
  /** Default 95. */
  percentile?: number;
}

export interface FactorSuggestion {
  kaiser: number;
  humphrey: number;
  parallel: {
    retained: number;
    iterations: number;
    seed: number;
    percentile: number;
    randomEigenvalues: number[];
  } | null;
  suggested: number;
  /** Which criterion the suggestion follows. */
  source: 'parallel' | 'humphrey';
}

/** The work of one iteration grows with sorts x statements^2; fewer iterations keep large rounds within seconds. */
export function defaultIterations(nSorts: number): number {
  if (nSorts <= 200) return 500;
  if (nSorts <= 2000) return 200;
  if (nSorts <= 10_000) return 50;
  return 10;
}

export function kaiser(eigenvalues: number[]): number {
  return eigenvalues.filter((v) => v > 1).length;
}

export function humphrey(loadings: Loadings, nStatements: number): number {
  const threshold = 2 / Math.sqrt(nStatements);
  let count = 0;
  for (let f = 0; f < loadings.k; f++) {
    let first = 0,
      second = 0;
    for (let j = 0; j < loadings.sorts; j++) {
      const a = Math.abs(at(loadings, j, f));
      if (a > first) {
        second = first;
        first = a;
      } else if (a > second) second = a;
    }
    if (first * second > threshold) count++;
    else break;
  }
  return count;
}

/** R's default quantile (type 7). */
export function quantile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  const low = defined(sorted[lo], 'quantile value');
  return low + (h - lo) * (defined(sorted[hi], 'quantile value') - low);
}

export function parallelAnalysis(
  sorts: number[][],
  eigenvalues: number[],
  options: ParallelOptions = {},
): NonNullable<FactorSuggestion['parallel']> {
  const iterations = options.iterations ?? defaultIterations(sorts.length);
  const seed = options.seed ?? 1;
  const percentile = options.percentile ?? 95;
  const random = seededRandom(seed);
  const m = eigenvalues.length;
  const draws: number[][] = Array.from({ length: m }, () => []);
  const n = defined(sorts[0], 'first sort').length;
  for (let it = 0; it < iterations; it++) {
    const shuffled = sorts.map((sort) => {
      const s = sort.slice();
      for (let i = n - 1; i > 0; i--) {
        const r = Math.floor(random() * (i + 1));
        const t = defined(s[i], 'shuffled value');
        s[i] = defined(s[r], 'shuffled value');
        s[r] = t;
      }
      return s;
    });
    // The smaller of the two matrices with the same non-zero eigenvalues: R (N x N) or UU' (n x n).
    const std = standardize(shuffled);
    const values =
      sorts.length < n
        ? symmetricEigen(correlationMatrix(std), sorts.length).values
        : symmetricEigen(crossProduct(std), n).values;
    draws.forEach((draw, c) => draw.push(Math.max(0, defined(values[c], 'random eigenvalue'))));
  }
  const randomEigenvalues = draws.map((d) =>
    quantile(
      d.sort((a, b) => a - b),
      percentile / 100,
    ),
  );
  let retained = 0;
  while (
    retained < m &&
    defined(eigenvalues[retained], 'eigenvalue') > defined(randomEigenvalues[retained], 'random eigenvalue')
  )
    retained++;
  return { retained, iterations, seed, percentile, randomEigenvalues };
}

export function suggestFactors(
  sorts: number[][],
  eigenvalues: number[],
  unrotated: Loadings,
  nStatements: number,
  options: ParallelOptions = {},
): FactorSuggestion {
  const k = kaiser(eigenvalues);
  const h = humphrey(unrotated, nStatements);
  const iterations = options.iterations ?? defaultIterations(sorts.length);
  const parallel = iterations > 0 ? parallelAnalysis(sorts, eigenvalues, { ...options, iterations }) : null;
  const source = parallel ? 'parallel' : 'humphrey';
  const suggested = Math.max(1, parallel ? parallel.retained : h);
  return { kaiser: k, humphrey: h, parallel, suggested, source };
}
