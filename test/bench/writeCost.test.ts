import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { measureWrites } from '../../scripts/bench/writeCost.js';

const leftovers = () => readdirSync(tmpdir()).filter((name) => name.startsWith('wijzer-write-cost-'));

test.each(['journal', 'files'] as const)('the %s run makes every turn and leaves no folder behind', async (mode) => {
  const before = leftovers();
  const cost = await measureWrites(mode, 3, 2);
  expect(cost).toMatchObject({ mode, turns: 6 });
  for (const figure of [cost.userMs, cost.systemMs, cost.wallMs]) expect(Number.isFinite(figure)).toBe(true);
  expect(leftovers()).toEqual(before);
});
