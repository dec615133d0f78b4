import { parseDat, parseSta } from '../../src/analysis/dat.js';
import { DatError } from '../../src/analysis/errors.js';
import { createRecord } from '../../src/interview/engine.js';
import type { InterviewRecord } from '../../src/interview/types.js';
import { meanDistribution } from '../../src/export/distribution.js';
import { readAll, type ExportFile } from '../../src/export/file.js';
import { planOf } from '../../src/export/plan.js';
import { pqmethodFiles } from '../../src/export/pqmethod.js';
import { contextFor } from '../support/context.js';
import { at } from '../support/defined.js';

/*
 * The .DAT/.STA reader, against lines written by hand from the format description (shared/PQMETHOD.md) and against
 * files written by Wijzer's own PQMethod export (src/export/pqmethod.ts).
 */

/** Line 2 for a scale: the lowest and highest value, then cards per column for the 20 columns from -6 upward. */
function line2(min: number, max: number, counts: Record<number, number>): string {
  const pad = (n: number) => String(n).padStart(3);
  return pad(min) + pad(max) + Array.from({ length: 20 }, (_, i) => pad(counts[i - 6] ?? 0)).join('');
}

// Written by hand from PQMETHOD.md: columns 1-3 "  0", 4-6 sorts, 7-9 statements, a space, the title.
const HAND =
  [
    '  0  3  5 A study written by hand',
    ' -2  2  0  0  0  0  1  1  1  1  1  0  0  0  0  0  0  0  0  0  0  0',
    'ann        2-1 0 1-2',
    'bob       -1-2 0 2 1',
    'cees long  0 1 2-1-2',
  ].join('\r\n') + '\r\n';

function datError(fn: () => unknown): DatError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DatError) return err;
    throw err;
  }
  throw new Error('no DatError was thrown');
}

describe('reading a .DAT written by hand from the format description', () => {
  test('line 1, line 2 and the sorts, by fixed columns', () => {
    expect(line2(-2, 2, { [-2]: 1, [-1]: 1, 0: 1, 1: 1, 2: 1 })).toBe(HAND.split('\r\n')[1]);
    const dat = parseDat(HAND);
    expect(dat.title).toBe('A study written by hand');
    expect([dat.nSorts, dat.nStatements]).toEqual([3, 5]);
    expect(dat.scale).toEqual({ min: -2, max: 2 });
    expect(dat.columnCounts).toEqual([1, 1, 1, 1, 1]);
    expect(dat.sortNames).toEqual(['ann', 'bob', 'cees long']);
    // "-1-2" is two values, not one: the reader goes by columns, not by spaces.
    expect(dat.sorts).toEqual([
      [2, -1, 0, 1, -2],
      [-1, -2, 0, 2, 1],
      [0, 1, 2, -1, -2],
    ]);
  });

  test("LF or CR line ends, a byte order mark, DOS's Ctrl-Z and blank lines at the end are all read the same", () => {
    const expected = parseDat(HAND);
    expect(parseDat(HAND.replace(/\r\n/g, '\n'))).toEqual(expected);
    expect(parseDat(HAND.replace(/\r\n/g, '\r'))).toEqual(expected);
    expect(parseDat(`\uFEFF${HAND}\r\n\r\n\x1a`)).toEqual(expected);
    // Blanks after the last value of a sort line.
    expect(parseDat(HAND.replace('0 1-2\r\n', '0 1-2   \r\n'))).toEqual(expected);
  });

  test('a PQMethod-style distribution over -4..+4 with two leading zeros and nine trailing ones', () => {
    const counts = { [-4]: 1, [-3]: 1, [-2]: 1, [-1]: 1, 0: 2, 1: 1, 2: 1, 3: 1, 4: 1 };
    const text = [
      '  0  1 10 nine columns',
      line2(-4, 4, counts),
      `${'x'.padEnd(10)}${[-4, -3, -2, -1, 0, 0, 1, 2, 3, 4].map((v) => String(v).padStart(2)).join('')}`,
    ].join('\n');
    const dat = parseDat(text);
    expect(dat.columnCounts).toEqual([1, 1, 1, 1, 2, 1, 1, 1, 1]);
    expect(dat.sorts[0]).toEqual([-4, -3, -2, -1, 0, 0, 1, 2, 3, 4]);
  });

  test('the .STA: one statement a line, as many as the .DAT says', () => {
    expect(parseSta('one\r\ntwo  \r\nthree\r\n', 3)).toEqual(['one', 'two', 'three']);
    expect(datError(() => parseSta('one\ntwo\n', 3)).message).toBe(
      'line 3: the .STA ends after 2 statements, but the .DAT has 3',
    );
    expect(datError(() => parseSta('a\nb\nc\nd\n', 3, 'x.STA')).message).toBe(
      'x.STA, line 4: the .DAT has 3 statements, but the .STA has more lines (4)',
    );
    expect(datError(() => parseSta('a\n\nc\n', 3)).message).toBe('line 2, column 1: statement 2 is empty');
  });
});

describe('a damaged .DAT is rejected, naming the line and the column', () => {
  const lines = HAND.split('\r\n');
  const damaged = (index: number, line: string) => lines.map((l, i) => (i === index ? line : l)).join('\r\n');

  test('a value that is not a number', () => {
    const err = datError(() => parseDat(damaged(3, 'bob       -1-x 0 2 1'), 'study.DAT'));
    expect([err.line, err.column]).toEqual([4, 13]);
    expect(err.message).toBe(
      'study.DAT, line 4, column 13: columns 13-14 hold "-x": the value of statement 2 must be a whole number, right-aligned',
    );
  });

  test('a sort line that ends too early, or goes on after its last value', () => {
    expect(datError(() => parseDat(damaged(2, 'ann        2-1 0 1'))).message).toBe(
      'line 3, column 19: the line ends at column 18; 5 values (line 1) need columns 11-20',
    );
    expect(datError(() => parseDat(damaged(4, 'cees long  0 1 2-1-2 3'))).message).toBe(
      'line 5, column 22: there is more after the last value (column 20): line 1 says 5 statements',
    );
  });

  test('a value outside the scale of line 2', () => {
    const err = datError(() => parseDat(damaged(2, 'ann        3-1 0 1-2')));
    expect(err.message).toBe('line 3, column 11: statement 1 has the value 3, outside the scale -2..2 of line 2');
  });

  test('a left-aligned value (a shifted line)', () => {
    expect(datError(() => parseDat(damaged(2, 'ann       2 -1 0 1-2'))).message).toMatch(
      /^line 3, column 11: columns 11-12 hold "2 "/,
    );
  });

  test('counts that do not fit line 1', () => {
    expect(datError(() => parseDat(damaged(0, '  0  4  5 A study written by hand'))).message).toBe(
      'line 1, column 4: line 1 says 4 sorts (columns 4-6), but the file has 3 sort lines',
    );
    expect(datError(() => parseDat(damaged(0, '  0  2  5 A study written by hand'))).message).toBe(
      'line 5: line 1 says 2 sorts (columns 4-6), but the file has more sort lines (3)',
    );
    expect(datError(() => parseDat(damaged(1, line2(-2, 2, { [-2]: 1, [-1]: 1, 0: 2, 1: 1, 2: 1 })))).message).toBe(
      'line 2, column 7: the cards per column add up to 6, but line 1 says 5 statements',
    );
    expect(datError(() => parseDat(damaged(1, line2(-2, 2, { [-3]: 1, [-1]: 1, 0: 1, 1: 1, 2: 1 })))).message).toBe(
      'line 2, column 16: column -3 has 1 cards, but the scale is -2..2',
    );
    expect(datError(() => parseDat(damaged(0, '  0  3 5  A study written by hand'))).message).toMatch(
      /^line 1, column 7: columns 7-9 hold " 5 "/,
    );
  });

  test('an empty line among the sorts, and an empty file', () => {
    expect(datError(() => parseDat(damaged(3, ''))).message).toBe(
      'line 4, column 1: the line is empty; a sort line has a name and a value per statement',
    );
    expect(datError(() => parseDat('\r\n')).message).toBe('line 1: the file is empty');
  });
});

describe("reading what Wijzer's own PQMethod export writes", () => {
  const ctx = contextFor();
  const ids = ctx.deck.clusters.flatMap((c) => c.competencies.map((k) => k.id));
  const placements: Record<string, number>[] = [
    Object.fromEntries(ids.slice(0, 10).map((id, i) => [id, (i % 7) - 3])),
    Object.fromEntries(ids.slice(5, 25).map((id, i) => [id, 3 - (i % 7)])),
    Object.fromEntries(ids.map((id, i) => [id, ((i * 5) % 7) - 3])),
  ];
  const interviews: InterviewRecord[] = placements.map((placement, i) => ({
    ...createRecord(ctx, String.fromCharCode(65 + i), true, null),
    selection: Object.keys(placement),
    placement,
    completedAt: '2026-11-25T11:00:00.000Z',
  }));
  const numbers = new Map([
    ['A', 'R2'],
    ['B', 'R3'],
    ['C', 'R1'],
  ]);
  let files: ExportFile[];
  beforeAll(async () => {
    files = await Promise.all(
      pqmethodFiles(planOf({ round: ctx.round, guide: ctx.guide, deck: ctx.deck, interviews, numbers })).map(readAll),
    );
  });
  const text = (name: string) => files.find((f) => f.name.endsWith(name))!.content as string;

  test('every sort, with unpicked cards as 0, under its R number; the counts of line 1 and line 2', () => {
    const dat = parseDat(text('.DAT'), 'default.DAT');
    expect(dat.nStatements).toBe(ids.length);
    expect(dat.sortNames).toEqual(['R1', 'R2', 'R3']);
    const byCode = { R1: at(placements, 2), R2: at(placements, 0), R3: at(placements, 1) };
    dat.sortNames.forEach((name, j) =>
      expect(dat.sorts[j]).toEqual(ids.map((id) => byCode[name as keyof typeof byCode][id] ?? 0)),
    );
    expect(dat.scale).toEqual({ min: ctx.guide.scale.min, max: ctx.guide.scale.max });
    // Line 2 of an open distribution: the pooled column counts, by the export's documented convention.
    expect(dat.columnCounts).toEqual(meanDistribution(dat.sorts, -3, 3, ids.length));
  });

  test('the .STA gives the competencies in deck order', () => {
    const statements = parseSta(text('.STA'), ids.length);
    expect(statements).toHaveLength(ids.length);
    const first = at(at(ctx.deck.clusters, 0).competencies, 0);
    expect(statements[0]).toBe(first.name.nl.normalize('NFKD').replace(/\p{M}/gu, ''));
  });
});
