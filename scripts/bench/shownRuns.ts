import { median } from '../support/percentile.js';
import type { LoadResult } from './load.js';
import { cpuPerTurn, mainThreadCpuPerTurn } from './ratios.js';

/**
 * A bot's runs as the report shows them: the tables and notes show one real run each (the closed-loop run of median
 * turns/s, the paced run of median p99; the upper middle of an even count), the headline figures are medians over
 * all runs, and the ratios are medians over the pairs (scripts/bench/ratios.ts).
 */

interface BotRuns {
  loads: LoadResult[];
  pacedRuns: LoadResult[];
}

export type Shown<T extends BotRuns> = T & { load: LoadResult; paced: LoadResult | null };

function medianRun(runs: LoadResult[], figure: (run: LoadResult) => number): LoadResult | null {
  const sorted = [...runs].sort((a, b) => figure(a) - figure(b));
  return sorted[Math.floor(sorted.length / 2)] ?? null;
}

/** The bot with the runs its tables show; null when it did not run (or ran no closed loop). */
export function shown<T extends BotRuns>(bot: T | null): Shown<T> | null {
  const load = bot && medianRun(bot.loads, (run) => run.turnsPerSec);
  if (!bot || !load) return null;
  return { ...bot, load, paced: medianRun(bot.pacedRuns, (run) => run.latencies.p99) };
}

/** The medians over a bot's runs of the figures the targets name. */
export function medians(bot: BotRuns | null) {
  const of = (values: number[]) => (values.length ? median(values) : null);
  // A figure some runs could not measure has no median.
  const ofAll = (values: (number | null)[]) => (values.includes(null) ? null : of(values as number[]));
  return {
    turnsPerSec: of(bot?.loads.map((run) => run.turnsPerSec) ?? []),
    cpuMsPerTurn: of(bot?.loads.map(cpuPerTurn) ?? []),
    mainThreadCpuMsPerTurn: ofAll(bot?.loads.map(mainThreadCpuPerTurn) ?? []),
    pacedP99Ms: of(bot?.pacedRuns.map((run) => run.latencies.p99) ?? []),
  };
}
