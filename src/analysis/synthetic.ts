import { normal, seededRandom } from './random.js';
import { defined } from '../defined.js';

/**
 * Made-up sorts for tests and the benchmark: each sort follows one of the given viewpoints (latent scores per
 * statement) plus normal noise, and is laid into the distribution by rank (a forced distribution, ties by statement).
 */
export function syntheticSorts(options: {
  viewpoints: number[][];
  /** How many sorts follow each viewpoint. */
  perViewpoint: number[];
  distribution: number[];
  noise: number;
  seed: number;
}): number[][] {
  const random = seededRandom(options.seed);
  const q = [...options.distribution].sort((a, b) => a - b);
  const out: number[][] = [];
  options.viewpoints.forEach((latent, v) => {
    for (let s = 0; s < defined(options.perViewpoint[v], 'sorts of a viewpoint'); s++) {
      const noisy = latent.map((x) => x + options.noise * normal(random));
      const order = noisy.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      const sort = new Array<number>(latent.length);
      order.forEach(([, i], rank) => {
        sort[i] = defined(q[rank], 'distribution value');
      });
      out.push(sort);
    }
  });
  return out;
}

/** A quasi-normal distribution over -3..3 for n statements (for 32: 2, 3, 5, 12, 5, 3, 2 as in an open round's pooled counts). */
export function quasiNormal(n: number): number[] {
  const shares = [0.0625, 0.09375, 0.15625, 0.375, 0.15625, 0.09375, 0.0625];
  const counts = shares.map((s) => Math.floor(s * n));
  let left = n - counts.reduce((a, b) => a + b, 0);
  for (let i = 3; left > 0; i = i === 3 ? 2 : i === 2 ? 4 : 3, left--)
    counts[i] = defined(counts[i], 'count of a column') + 1;
  return counts.flatMap((c, i) => new Array<number>(c).fill(i - 3));
}

/** Random latent viewpoints: standard normal scores per statement. */
export function randomViewpoints(count: number, n: number, seed: number): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Array.from({ length: n }, () => normal(random)));
}
