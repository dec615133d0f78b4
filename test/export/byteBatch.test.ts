import { BATCH_BYTES, ByteBatch, batchesOf } from '../../src/export/byteBatch.js';

test('text is written as UTF-8, bytes as given, and a batch grows for a long piece', () => {
  const batch = new ByteBatch();
  batch.text('café ');
  batch.bytes(Buffer.from([0x41, 0x42]));
  batch.byte(0x3b);
  const long = '日'.repeat(BATCH_BYTES);
  batch.text(long);
  expect(batch.full).toBe(true);
  expect(batch.take().toString('utf8')).toBe(`café AB;${long}`);
  expect(batch.empty).toBe(true);
});

test('a batch handed on is not written over by what follows', () => {
  const batch = new ByteBatch();
  batch.text('first');
  const first = batch.take();
  batch.text('second');
  expect(first.toString()).toBe('first');
  expect(batch.slice(0, batch.length).toString()).toBe('second');
});

test('batchesOf: the head, then every item, in batches of about BATCH_BYTES', async () => {
  async function* items() {
    for (let i = 0; i < 20_000; i++) yield i;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of batchesOf(Buffer.from('head\n'), items(), (batch, i) => batch.text(`${i}\n`)))
    chunks.push(chunk);
  expect(chunks.length).toBeGreaterThan(1);
  for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(BATCH_BYTES);
  const lines = Buffer.concat(chunks).toString().split('\n');
  expect(lines[0]).toBe('head');
  expect(lines.slice(1, -1)).toEqual(Array.from({ length: 20_000 }, (_, i) => String(i)));
});
