import { copyRows } from '../../src/storage/postgres/copyRows.js';

/** A COPY in PostgreSQL's binary format, as the server sends it: each value a row of `columns` copies of it. */
function binaryCopy(values: string[], options: { end?: boolean; columns?: number } = {}): Buffer {
  const parts = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
  const columns = options.columns ?? 1;
  for (const value of values) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(columns, 0);
    parts.push(count);
    for (let c = 0; c < columns; c++) {
      const bytes = Buffer.from(c === 0 ? value : `${c}:${value}`, 'utf8');
      const length = Buffer.alloc(4);
      length.writeInt32BE(bytes.length, 0);
      parts.push(length, bytes);
    }
  }
  if (options.end !== false) parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

async function rows(chunks: Buffer[], columns = 1): Promise<string[]> {
  const out: string[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const row of copyRows(source(), columns)) out.push(row.map((field) => field.toString('utf8')).join('|'));
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

  test('gives every field of a row of several columns, whichever byte the chunks are split at', async () => {
    const copy = binaryCopy(values, { columns: 3 });
    const expected = values.map((v) => `${v}|1:${v}|2:${v}`);
    for (let at = 0; at <= copy.length; at++)
      expect(await rows([copy.subarray(0, at), copy.subarray(at)], 3)).toEqual(expected);
    expect(
      await rows(
        [...copy].map((byte) => Buffer.from([byte])),
        3,
      ),
    ).toEqual(expected);
  });

  test('refuses a stream that stops before the end marker, a second column, or text that is not a binary COPY', async () => {
    await expect(rows([binaryCopy(values, { end: false })])).rejects.toThrow('before its end marker');
    await expect(rows([binaryCopy(values, { columns: 2 })])).rejects.toThrow('2 columns');
    await expect(rows([Buffer.from('A\t{"code":"A"}\n\\.\n'.padEnd(40))])).rejects.toThrow('binary format');
  });
});
