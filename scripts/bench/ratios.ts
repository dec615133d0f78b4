import type { FanoutReport } from '../support/fanout.js';
import { median } from '../support/percentile.js';

/**
 * The ratios the targets of phases a, b and d compare: each against what the framework (the echo bot) or the mock
 * connector's limit allows. Null when a phase they need did not run.
 *
 * Wijzer's and the echo bot's runs alternate (scripts/bench/bots.ts): Wijzer's i-th run and the echo bot's i-th
 * ran next to each other, under the same load of the rest of the machine. Each ratio is taken within such a pair,
 * and the figure is the median of the pairs' ratios: a burst of other work disturbs one pair, not the result.
 */

/** What the ratios read of a closed-loop run. */
interface ClosedRun {
  turns: number;
  turnsPerSec: number;
  server: { cpuUserMs: number; cpuSystemMs: number; mainThreadCpuMs?: number | null };
}

/** What the ratios read of a bot's runs (phase a's or b's result), in the order they ran. */
interface Runs {
  loads: ClosedRun[];
  pacedRuns: { latencies: { p99: number } }[];
}

interface BothBots {
  wijzer: Runs | null;
  echo: Runs | null;
}

/** Server CPU per turn in ms: the cost of a turn to the server. */
export function cpuPerTurn(load: ClosedRun): number {
  return (load.server.cpuUserMs + load.server.cpuSystemMs) / load.turns;
}

/** The main thread's share of it (the rest ran on V8's GC helpers and libuv's threads); null when not measured. */
export function mainThreadCpuPerTurn(load: ClosedRun): number | null {
  const ms = load.server.mainThreadCpuMs;
  return ms === null || ms === undefined ? null : ms / load.turns;
}

/** Wijzer's figure over the echo bot's, pair by pair (the runs both bots have). */
function pairRatios<T>(ours: T[], theirs: T[], figure: (run: T) => number): number[] {
  return ours.slice(0, theirs.length).map((run, i) => figure(run) / figure(theirs[i] as T));
}

/** Each pair's ratio of closed-loop throughput, Wijzer over echo; empty when a bot did not run. */
export function throughputRatios({ wijzer, echo }: BothBots): number[] {
  return wijzer && echo ? pairRatios(wijzer.loads, echo.loads, (run) => run.turnsPerSec) : [];
}

/** Each pair's ratio of server CPU per turn in the closed loop, Wijzer over echo. */
export function cpuRatios({ wijzer, echo }: BothBots): number[] {
  return wijzer && echo ? pairRatios(wijzer.loads, echo.loads, cpuPerTurn) : [];
}

/** Each pair's ratio of paced p99 latency, Wijzer over echo. */
export function pacedP99Ratios({ wijzer, echo }: BothBots): number[] {
  return wijzer && echo ? pairRatios(wijzer.pacedRuns, echo.pacedRuns, (run) => run.latencies.p99) : [];
}

const medianOrNull = (ratios: number[]): number | null => (ratios.length ? median(ratios) : null);

/** Wijzer's closed-loop throughput over the echo bot's: the median of the pairs. */
export const throughputRatio = (bots: BothBots): number | null => medianOrNull(throughputRatios(bots));

/** Wijzer's server CPU per turn over the echo bot's: the median of the pairs. */
export const cpuRatio = (bots: BothBots): number | null => medianOrNull(cpuRatios(bots));

/** Wijzer's paced p99 over the echo bot's: the median of the pairs. */
export const pacedP99Ratio = (bots: BothBots): number | null => medianOrNull(pacedP99Ratios(bots));

/** One instance's fan-out (phase d): the requests per second the mock accepted, over its limit. */
export function fanoutShareOfLimit(
  fanout: Pick<FanoutReport, 'acceptedRequestsPerSec' | 'limitPerSec'> | null,
): number | null {
  return fanout ? fanout.acceptedRequestsPerSec / fanout.limitPerSec : null;
}

/** A share of a limit that fills it (at least 0.95) without going over it. */
export const fillsLimit = (share: number | null): boolean | null =>
  share === null ? null : share >= 0.95 && share <= 1;
