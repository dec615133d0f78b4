import type { FanoutReport } from '../support/fanout.js';

/**
 * The ratios the targets of phases a, b and d compare: each against what the framework (the echo bot in the same
 * run) or the mock connector's limit allows. Null when a phase they need did not run.
 */

/** What the ratios read of a bot's runs (phase a's or b's result). */
interface Runs {
  load: { turnsPerSec: number };
  paced: { latencies: { p99: number } } | null;
}

interface BothBots {
  wijzer: Runs | null;
  echo: Runs | null;
}

/** Wijzer's closed-loop throughput over the echo bot's. */
export function throughputRatio({ wijzer, echo }: BothBots): number | null {
  return wijzer && echo ? wijzer.load.turnsPerSec / echo.load.turnsPerSec : null;
}

/** Wijzer's paced p99 over the echo bot's paced p99. */
export function pacedP99Ratio({ wijzer, echo }: BothBots): number | null {
  return wijzer?.paced && echo?.paced ? wijzer.paced.latencies.p99 / echo.paced.latencies.p99 : null;
}

/** One instance's fan-out (phase d): the requests per second the mock accepted, over its limit. */
export function fanoutShareOfLimit(
  fanout: Pick<FanoutReport, 'acceptedRequestsPerSec' | 'limitPerSec'> | null,
): number | null {
  return fanout ? fanout.acceptedRequestsPerSec / fanout.limitPerSec : null;
}

/** A share of a limit that fills it (at least 0.95) without going over it. */
export const fillsLimit = (share: number | null): boolean | null =>
  share === null ? null : share >= 0.95 && share <= 1;
