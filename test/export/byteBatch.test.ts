import { ByteBatch, SinkBatches, batchesOf } from '../../src/export/byteBatch.js';
import { BATCH_BYTES } from '../../src/export/file.js';

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

test('a batch its reader is done with is filled again; one still being read is not', () => {
  const batch = new ByteBatch();
  batch.text('one');
  const first = batch.take();
  batch.text('two');
  const second = batch.take();
  batch.reuse(first);
  batch.text('three');
  batch.take();
  batch.text('four');
  const fourth = batch.take();
  expect(fourth.buffer === first.buffer).toBe(true);
  expect(second.buffer === first.buffer).toBe(false);
  expect([second.toString(), fourth.toString()]).toEqual(['two', 'four']);
});

test('SinkBatches: batches in order, a failed write thrown by the next flush, never unhandled', async () => {
  const seen: string[] = [];
  const out = new SinkBatches({
    write: async (chunk) => {
      await new Promise((resolve) => setImmediate(resolve));
      const text = Buffer.from(chunk).toString();
      if (text === 'c') throw new Error('disk full');
      seen.push(text);
    },
    end: async () => undefined,
  });
  for (const text of ['a', 'b', 'c']) {
    out.batch.text(text);
    await out.flush();
  }
  // The write of "c" fails while nobody waits for it.
  await new Promise((resolve) => setTimeout(resolve, 10));
  out.batch.text('d');
  await expect(out.flush()).rejects.toThrow('disk full');
  expect(seen).toEqual(['a', 'b']);
});
