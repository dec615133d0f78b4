import { performance } from 'node:perf_hooks';
import { analyse } from './analyse.js';
import { quasiNormal, randomViewpoints, syntheticSorts } from './synthetic.js';

export interface AnalysisTiming {
  nSorts: number;
  nStatements: number;
  factors: number;
  /**
   * Wall time of analyse(): principal components, varimax, flags, z-scores, factor arrays, reliability, distinguishing
   * statements.
   */
  ms: number;
  /** Heap growth across the call, MB (a rough check that memory does not grow with nSorts²). */
  heapMB: number;
}

/**
 * The benchmark of `npm run bench` (analyse1kMs, analyse60kMs): nSorts synthetic sorts of 32 statements (three
 * viewpoints plus noise, seeded), analysed with principal components, varimax and z-scores for 3 factors. The
 * parallel analysis (which only suggests the number of factors) is left out, as the number is given.
 */
export function timeAnalysis(
  nSorts: number,
  options: { nStatements?: number; factors?: number; seed?: number } = {},
): AnalysisTiming {
  const n = options.nStatements ?? 32;
  const factors = options.factors ?? 3;
  const seed = options.seed ?? 7;
  const viewpoints = randomViewpoints(3, n, seed);
  const per = [Math.ceil(nSorts / 3), Math.ceil(nSorts / 3), nSorts - 2 * Math.ceil(nSorts / 3)];
  const sorts = syntheticSorts({
    viewpoints,
    perViewpoint: per,
    distribution: quasiNormal(n),
    noise: 1,
    seed: seed + 1,
  });
  const statements = Array.from({ length: n }, (_, i) => `S${i + 1}`);
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  analyse(sorts, statements, { factors, parallel: { iterations: 0 } });
  const ms = performance.now() - start;
  const heapMB = Math.max(0, process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  return { nSorts, nStatements: n, factors, ms: Math.round(ms), heapMB: Math.round(heapMB * 10) / 10 };
}
