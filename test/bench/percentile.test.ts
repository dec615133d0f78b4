import { expect, test } from '@jest/globals';
import { median, p99, percentile } from '../../scripts/support/percentile.js';

/** The nearest-rank percentile the bench and its support files share. */

const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

test.each([
  [hundred, 50, 50],
  [hundred, 95, 95],
  [hundred, 99, 99],
  [hundred, 100, 100],
  [[7], 99, 7],
  [[1, 2, 3, 4], 50, 2],
  [[1, 2, 3, 4], 0, 1],
])('percentile(%j, %d) = %d', (sorted, p, expected) => {
  expect(percentile(sorted, p)).toBe(expected);
});

test('no samples: NaN', () => {
  expect(percentile([], 50)).toBeNaN();
  expect(p99([])).toBeNaN();
});

test('p99 sorts its samples first and leaves them as they were', () => {
  const samples = [...hundred].reverse();
  expect(p99(samples)).toBe(99);
  expect(samples[0]).toBe(100);
});

test.each([
  [[3, 1, 2], 2],
  [[0.9, 0.5], 0.7],
  [[5], 5],
])('median(%j) = %d', (values, expected) => {
  expect(median(values)).toBeCloseTo(expected);
});

test('the median of nothing is NaN', () => {
  expect(median([])).toBeNaN();
});
