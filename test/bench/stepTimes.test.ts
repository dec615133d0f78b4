import { StepTimes } from '../../scripts/support/stepTimes.js';

test('each call is kept under its step, also one that failed; summaries merge several runs', async () => {
  const [a, b] = [new StepTimes(), new StepTimes()];
  expect(await a.time('claim', async () => 'mine')).toBe('mine');
  await expect(
    a.time('book', async () => {
      throw new Error('gate down');
    }),
  ).rejects.toThrow('gate down');
  await b.time('claim', () => new Promise((resolve) => setTimeout(resolve, 20)));
  const summary = StepTimes.summary([a, b]);
  expect(Object.keys(summary).sort()).toEqual(['book', 'claim']);
  expect(summary.claim?.calls).toBe(2);
  expect(summary.book?.calls).toBe(1);
  // The slower of the two claims is the maximum, and it took at least the 20 ms it waited.
  expect(summary.claim?.max).toBeGreaterThanOrEqual(19);
  expect(summary.claim?.p50).toBeLessThanOrEqual(summary.claim?.max ?? 0);
  expect(StepTimes.summary([])).toEqual({});
});
