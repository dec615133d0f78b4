import { expect, test } from '@jest/globals';
import { inTurn } from '../../scripts/bench/bots.js';

/** Wijzer's and the echo bot's runs alternate which goes first, so that a drift of the machine's load favours neither. */

test('the pairs go Wijzer first, then the echo bot first, and so on', () => {
  const order = [0, 1, 2, 3].map((round) => inTurn(round, ['wijzer', 'echo']).join(' then '));
  expect(order).toEqual(['wijzer then echo', 'echo then wijzer', 'wijzer then echo', 'echo then wijzer']);
});

test('the runs given are left as they were', () => {
  const runs = ['wijzer', 'echo'];
  inTurn(1, runs);
  expect(runs).toEqual(['wijzer', 'echo']);
});
