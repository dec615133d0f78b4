import type { LoadResult } from './load.js';
import { cpuPerTurn, cpuRatios, pacedP99Ratios, throughputRatios } from './ratios.js';
import { median } from '../support/percentile.js';

/** The report's lines on the pairs of runs (Wijzer's next to the echo bot's) that the ratios are taken from. */

type Say = (line?: string) => void;

interface BotRuns {
  loads: LoadResult[];
  pacedRuns: LoadResult[];
}

/** Phases a and b's results (BenchResults has them). */
interface BothBots {
  wijzer: BotRuns | null;
  echo: BotRuns | null;
}

/** With the durable echo bot, whose i-th run ran on the echo bot's other side in the same round. */
interface AllBots extends BothBots {
  durableEcho?: BotRuns | null;
}

const fixed = (n: number, digits: number) => (Number.isNaN(n) ? '–' : n.toFixed(digits));

/** CPU the rest of the machine used during a run, in % of one core. */
const otherPct = (run: LoadResult) =>
  run.otherCpuMs === null ? '–' : `${fixed((run.otherCpuMs / run.wallMs) * 100, 0)}%`;

const RATIOS = { throughput: throughputRatios, cpu: cpuRatios, p99: pacedP99Ratios } as const;

/** "pairs 0.74, 0.78, 0.77: median 0.77" (with an x for the ratios of costs); null when there are no pairs. */
export function ratioLine(results: BothBots, which: keyof typeof RATIOS): string | null {
  const ratios = RATIOS[which](results);
  if (!ratios.length) return null;
  const unit = which === 'throughput' ? '' : 'x';
  const each = ratios.map((r) => `${fixed(r, 2)}${unit}`).join(', ');
  return `${ratios.length === 1 ? 'one pair' : `pairs ${each}`}: median ${fixed(median(ratios), 2)}${unit}`;
}

/**
 * One line per pair of runs: both bots' figures and how busy the rest of the machine was meanwhile; with the
 * durable echo bot's run of the same round after them.
 */
export function printPairs(results: AllBots, say: Say): void {
  const { wijzer, echo, durableEcho } = results;
  if (!wijzer || !echo) return;
  say("  pairs of runs, in the order they ran (Wijzer vs echo bot; the rest of the machine's CPU during each):");
  const durableLoad = (i: number) => {
    const run = durableEcho?.loads[i];
    return run ? `; durable echo bot ${fixed(run.turnsPerSec, 0)} turns/s, ${fixed(cpuPerTurn(run), 2)} ms/turn` : '';
  };
  const durablePaced = (i: number) => {
    const run = durableEcho?.pacedRuns[i];
    return run ? `; durable echo bot ${fixed(run.latencies.p99, 1)} ms` : '';
  };
  wijzer.loads.forEach((ours, i) => {
    const theirs = echo.loads[i];
    if (!theirs) return;
    say(
      `    closed loop ${i + 1}: ${fixed(ours.turnsPerSec, 0)} vs ${fixed(theirs.turnsPerSec, 0)} turns/s, ` +
        `server CPU ${fixed(cpuPerTurn(ours), 2)} vs ${fixed(cpuPerTurn(theirs), 2)} ms/turn; ` +
        `other work ${otherPct(ours)} / ${otherPct(theirs)}${durableLoad(i)}`,
    );
  });
  wijzer.pacedRuns.forEach((ours, i) => {
    const theirs = echo.pacedRuns[i];
    if (!theirs) return;
    say(
      `    paced ${i + 1}: p99 ${fixed(ours.latencies.p99, 1)} vs ${fixed(theirs.latencies.p99, 1)} ms; ` +
        `other work ${otherPct(ours)} / ${otherPct(theirs)}${durablePaced(i)}`,
    );
  });
}
