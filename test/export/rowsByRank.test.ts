import { BATCH_BYTES } from '../../src/export/file.js';
import { RowsByRank } from '../../src/export/rowsByRank.js';

test('rows added in any order come out in rank order after the head; a missing rank is left out', () => {
  const count = 10_000;
  const rows = new RowsByRank(count);
  const order = Array.from({ length: count }, (_, i) => (i * 7919) % count);
  for (const rank of order) if (rank !== 42) rows.add(rank, (batch) => batch.text(`row ${rank} ✓\r\n`));
  const chunks = [...rows.inOrder(Buffer.from('head\r\n'))];
  expect(chunks.length).toBeGreaterThan(1);
  for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(BATCH_BYTES);
  const expected = Array.from({ length: count }, (_, rank) => rank)
    .filter((rank) => rank !== 42)
    .map((rank) => `row ${rank} ✓\r\n`);
  expect(Buffer.concat(chunks).toString('utf8')).toBe(`head\r\n${expected.join('')}`);
});
