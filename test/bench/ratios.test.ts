import { expect, test } from '@jest/globals';
import {
  cpuRatio,
  cpuRatios,
  fanoutShareOfLimit,
  fillsLimit,
  pacedP99Ratio,
  throughputRatio,
  throughputRatios,
} from '../../scripts/bench/ratios.js';

/** The ratios behind the bench's targets against the echo bot and the fan-out's limit. */

/** A bot's runs: closed loops of [turns/s, server CPU ms per turn], paced runs of their p99. */
const bot = (closed: [number, number][], p99s: number[]) => ({
  loads: closed.map(([turnsPerSec, cpuMs]) => ({
    turns: 1000,
    turnsPerSec,
    server: { cpuUserMs: cpuMs * 800, cpuSystemMs: cpuMs * 200 },
  })),
  pacedRuns: p99s.map((p99) => ({ latencies: { p99 } })),
});

test("throughput, CPU and paced p99 are Wijzer's over the echo bot's", () => {
  const results = { wijzer: bot([[660, 1.5]], [30]), echo: bot([[1000, 1.2]], [12]) };
  expect(throughputRatio(results)).toBeCloseTo(0.66);
  expect(cpuRatio(results)).toBeCloseTo(1.25);
  expect(pacedP99Ratio(results)).toBeCloseTo(2.5);
});

test('each ratio is taken within a pair of runs, and the figure is the median of the pairs', () => {
  // Pair 2 ran while other work slowed both bots; pair 3 while it slowed only Wijzer's run.
  const wijzer = bot(
    [
      [800, 1.4],
      [400, 2.8],
      [300, 3.0],
    ],
    [14, 30, 40],
  );
  const echo = bot(
    [
      [1000, 1.0],
      [500, 2.0],
      [1000, 1.0],
    ],
    [8, 15, 8],
  );
  const results = { wijzer, echo };
  expect(throughputRatios(results)).toEqual([0.8, 0.8, 0.3]);
  // Medians of each bot's own runs would give 400 / 1000 = 0.4: the pairs keep the slow moments apart.
  expect(throughputRatio(results)).toBeCloseTo(0.8);
  expect(cpuRatios(results).map((r) => Number(r.toFixed(2)))).toEqual([1.4, 1.4, 3]);
  expect(cpuRatio(results)).toBeCloseTo(1.4);
  expect(pacedP99Ratio(results)).toBeCloseTo(2);
});

test('an even number of pairs: the median is the mean of the middle two', () => {
  const results = {
    wijzer: bot(
      [
        [600, 1],
        [900, 1],
      ],
      [],
    ),
    echo: bot(
      [
        [1000, 1],
        [1000, 1],
      ],
      [],
    ),
  };
  expect(throughputRatio(results)).toBeCloseTo(0.75);
});

test('a ratio is null when a bot or its paced runs are missing', () => {
  expect(throughputRatio({ wijzer: bot([[500, 1]], [30]), echo: null })).toBeNull();
  expect(pacedP99Ratio({ wijzer: bot([[500, 1]], [30]), echo: bot([[1000, 1]], []) })).toBeNull();
  expect(pacedP99Ratio({ wijzer: null, echo: bot([[1000, 1]], [12]) })).toBeNull();
});

test('the fan-out fills its limit at 0.95 to 1.0 of it, and going over it misses the target', () => {
  expect(fanoutShareOfLimit({ acceptedRequestsPerSec: 38.5, limitPerSec: 40 })).toBeCloseTo(0.9625);
  expect(fanoutShareOfLimit(null)).toBeNull();
  expect(fillsLimit(0.9625)).toBe(true);
  expect(fillsLimit(1)).toBe(true);
  expect(fillsLimit(0.94)).toBe(false);
  expect(fillsLimit(1.02)).toBe(false);
  expect(fillsLimit(null)).toBeNull();
});
