import { ByteBatch } from '../../src/export/byteBatch.js';
import { encodeCells } from '../../src/export/cells.js';
import { csvTables, type CsvOptions } from '../../src/export/csv.js';
import { ExportError } from '../../src/export/errors.js';
import { recordContext } from '../../src/export/model.js';
import { ctx as interviewContext, LONG, TRICKY, trickyRecord } from '../support/trickyRecords.js';

/**
 * An interview's export cells, made when it is saved, give the CSV export the same bytes as its record: every
 * line of every tricky record (quotes, line breaks, formulas, multi-byte and broken Unicode, a 30,000-character
 * answer, a choice the guide does not list, skipped answers), both delimiters, ids or words as headers.
 */
const ctx = recordContext(interviewContext);
const records = Array.from({ length: 3 * TRICKY.length }, (_, i) => trickyRecord(i));
const lines = () => ({ background: new ByteBatch(), sorts: new ByteBatch(), answers: new ByteBatch() });
const taken = (l: ReturnType<typeof lines>) => [l.background.take(), l.sorts.take(), l.answers.take()];

describe.each<CsvOptions>([
  { delimiter: ';' },
  { delimiter: ',' },
  { delimiter: ';', locale: 'nl' },
  { delimiter: ',', locale: 'en' },
])('with %o', (options) => {
  const t = csvTables(ctx, options);

  test.each(records.map((r, i) => [r.code, i] as const))('interview %s: the same lines from its cells', (code, i) => {
    const record = records[i]!;
    const participant = `R${i + 1}`;
    const fromRecord = lines();
    t.background.write(fromRecord.background, record);
    t.sorts.write(fromRecord.sorts, record, participant);
    t.answers.write(fromRecord.answers, record, participant);
    const fromCells = lines();
    const cells = encodeCells(ctx, record);
    expect(cells).not.toBeNull();
    t.cells(fromCells, code, participant, cells!);
    const [want, got] = [taken(fromRecord), taken(fromCells)];
    for (const [k, bytes] of got.entries()) expect(bytes.toString('utf8')).toBe(want[k]!.toString('utf8'));
    expect(Buffer.concat(got).equals(Buffer.concat(want))).toBe(true);
  });
});

test('the cells hold no code: the same interview under another code gives the same cells', () => {
  const record = trickyRecord(4);
  expect(encodeCells(ctx, { ...record, code: 'ZZ' })!.equals(encodeCells(ctx, record)!)).toBe(true);
  expect(encodeCells(ctx, record)!.includes(Buffer.from(LONG))).toBe(false);
});

test('an interview the export would refuse gets no cells: not completed, damaged, a column no cell holds', () => {
  const record = trickyRecord(2);
  expect(encodeCells(ctx, { ...record, completedAt: null })).toBeNull();
  expect(encodeCells(ctx, { ...record, placement: { nope: 1 } })).toBeNull();
  const [card] = Object.keys(record.followUps);
  const followUps = { ...record.followUps, [card!]: { ...record.followUps[card!]!, column: 1.5 } };
  expect(encodeCells(ctx, { ...record, followUps })).toBeNull();
});

test('cells cut short, with bytes left over, or pointing outside the content end the file as a damaged interview', () => {
  const t = csvTables(ctx, { delimiter: ';' });
  const cells = encodeCells(ctx, trickyRecord(1))!;
  const bad = [
    cells.subarray(0, cells.length - 3),
    Buffer.concat([cells, Buffer.from([0])]),
    Buffer.concat([Buffer.from([9]), cells.subarray(1)]),
    // The first background question's choice index far past its list.
    Buffer.concat([cells.subarray(0, 2), Buffer.from([0x7f, 0x00]), cells.subarray(4)]),
  ];
  for (const damaged of bad) {
    expect(() => t.cells(lines(), 'B', 'R2', damaged)).toThrow(ExportError);
    expect(() => t.cells(lines(), 'B', 'R2', damaged)).toThrow(
      /interview B is damaged in the store \(its export cells/,
    );
  }
});
