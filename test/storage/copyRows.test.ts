import { copyRows } from '../../src/storage/postgres/copyRows.js';

/** A one-column COPY in PostgreSQL's binary format, as the server sends it. */
function binaryCopy(values: string[], options: { end?: boolean; columns?: number } = {}): Buffer {
  const parts = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
  for (const value of values) {
    const bytes = Buffer.from(value, 'utf8');
    const head = Buffer.alloc(6);
    head.writeInt16BE(options.columns ?? 1, 0);
    head.writeInt32BE(bytes.length, 2);
    parts.push(head, bytes);
  }
  if (options.end !== false) parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

async function rows(chunks: Buffer[]): Promise<string[]> {
  const out: string[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const row of copyRows(source())) out.push(row.toString('utf8'));
  return out;
}

const values = ['{"code":"A"}', `{"text":"${'é'.repeat(300)} \\" \\u0000"}`, '{}'];

describe('copyRows', () => {
  test('gives every row, whichever byte the chunks are split at', async () => {
    const copy = binaryCopy(values);
    for (let at = 0; at <= copy.length; at++)
      expect(await rows([copy.subarray(0, at), copy.subarray(at)])).toEqual(values);
    expect(await rows([...copy].map((byte) => Buffer.from([byte])))).toEqual(values);
  });

  test('refuses a stream that stops before the end marker, a second column, or text that is not a binary COPY', async () => {
    await expect(rows([binaryCopy(values, { end: false })])).rejects.toThrow('before its end marker');
    await expect(rows([binaryCopy(values, { columns: 2 })])).rejects.toThrow('2 columns');
    await expect(rows([Buffer.from('A\t{"code":"A"}\n\\.\n'.padEnd(40))])).rejects.toThrow('binary format');
  });
});
