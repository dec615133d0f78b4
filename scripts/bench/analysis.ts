import type { AnalysisTiming } from '../../src/analysis/index.js';
import type { Options } from './options.js';

/**
 * The analysis phase: timeAnalysis (src/analysis/bench.ts) of 1,000 and --large (60,000) synthetic sorts of 32
 * statements, in this process. Targets: under 1 s and under 10 s.
 */
export async function phaseAnalysis(options: Options): Promise<[AnalysisTiming, AnalysisTiming]> {
  const { timeAnalysis } = await import('../../src/analysis/index.js');
  return [timeAnalysis(options.small), timeAnalysis(options.large)];
}
