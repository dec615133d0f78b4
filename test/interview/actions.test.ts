import { expect, test } from '@jest/globals';
import { roundOfSubmission, stamp, submissionOf } from '../../src/interview/actions.js';

/** A press's data: its stamp checked strictly, the card's inputs handed on as they came. */

test('a valid stamp: the stamp parsed, the inputs beside it untouched', () => {
  const data = { ...stamp('r1', 'werk', 0, 3, 'next'), answer: 'mijn antwoord', quote: 'true' };
  const parsed = submissionOf(data);
  expect(parsed?.wz).toEqual({ rd: 'r1', s: 'werk', i: 0, r: 3, a: 'next' });
  expect(parsed?.data).toBe(data);
  expect(roundOfSubmission(data)).toBe('r1');
});

test('no stamp, a broken stamp or data that is no object: no submission', () => {
  const good = stamp('r1', 'werk', 0, 3, 'next').wz;
  for (const data of [
    null,
    undefined,
    'next',
    [good],
    {},
    { wz: { ...good, extra: 1 } },
    { wz: { ...good, a: 'explode' } },
    { wz: { ...good, i: -1 } },
    { wz: { ...good, r: 1.5 } },
    { wz: { s: 'werk', i: 0, r: 3, a: 'next' } },
  ])
    expect(submissionOf(data)).toBeNull();
});
