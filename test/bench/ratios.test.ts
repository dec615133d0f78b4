import { expect, test } from '@jest/globals';
import { fanoutShareOfLimit, fillsLimit, pacedP99Ratio, throughputRatio } from '../../scripts/bench/ratios.js';

/** The ratios behind the bench's targets against the echo bot and the fan-out's limit. */

const bot = (turnsPerSec: number, p99: number | null) => ({
  load: { turnsPerSec },
  paced: p99 === null ? null : { latencies: { p99 } },
});

test("throughput and paced p99 are Wijzer's over the echo bot's", () => {
  const results = { wijzer: bot(660, 30), echo: bot(1000, 12) };
  expect(throughputRatio(results)).toBeCloseTo(0.66);
  expect(pacedP99Ratio(results)).toBeCloseTo(2.5);
});

test('a ratio is null when a bot or its paced run is missing', () => {
  expect(throughputRatio({ wijzer: bot(500, 30), echo: null })).toBeNull();
  expect(pacedP99Ratio({ wijzer: bot(500, 30), echo: bot(1000, null) })).toBeNull();
  expect(pacedP99Ratio({ wijzer: null, echo: bot(1000, 12) })).toBeNull();
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
