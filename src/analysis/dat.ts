import { DatError } from './errors.js';

/*
 * A reader of PQMethod's .DAT/.STA pair, by fixed columns, as shared/PQMETHOD.md describes the readers' rules
 * (qmethod's import.pqmethod, Ken-Q's parsePQMethodFile). Columns count from 1. Anything that does not fit is an
 * error that names the line and the column; nothing is guessed:
 *
 *   line 1   columns 1-3 "  0", 4-6 the number of sorts, 7-9 the number of statements, 10 a space, 11- the title
 *   line 2   columns 1-3 the lowest and 4-6 the highest value of the scale, then the cards per column in fields of 3,
 *            for the columns from -6 upward (zeros outside the scale; fields past the last one may be left out)
 *   line 3-  the sort's name in columns 1-10, then one value per statement right-aligned in 2 columns, nothing after
 *
 * Tolerated, as the other readers tolerate them: CRLF, CR or LF line ends; a UTF-8 byte order mark; DOS's end-of-file
 * character (Ctrl-Z) and blank lines after the last sort; blanks after the last value of a line.
 */

/** PQMethod's distribution line starts at column -6. */
export const FIRST_COLUMN = -6;

export interface DatFile {
  title: string;
  nSorts: number;
  nStatements: number;
  /** The scale of line 2. */
  scale: { min: number; max: number };
  /** Line 2: the number of cards in each column of the scale, from min to max. */
  columnCounts: number[];
  sortNames: string[];
  /** One array per sort, in file order: the value of each statement, in statement order. */
  sorts: number[][];
}

function linesOf(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- Ctrl-Z is the end-of-file mark DOS editors leave in PQMethod files.
  const body = text.replace(/^\uFEFF/, '').replace(/\x1a+\s*$/, '');
  const lines = body.split(/\r\n|\r|\n/);
  while (lines.at(-1)?.trim() === '') lines.pop();
  return lines;
}

const show = (s: string) => JSON.stringify(s);

/** One line of a file: its whole-number fields by column, and errors that name the line. */
class Line {
  constructor(
    readonly text: string,
    readonly number: number,
    readonly file?: string,
  ) {}

  error(column: number | null, problem: string): DatError {
    return new DatError(this.number, column, problem, this.file);
  }

  /** The integer in columns start..start+width-1, right-aligned (leading blanks, no trailing ones). */
  field(start: number, width: number, what: string): number {
    const end = start + width - 1;
    const text = this.text.slice(start - 1, end);
    if (text.length < width) {
      const length = this.text.length;
      throw this.error(length + 1, `the line ends at column ${length}, before ${what} (columns ${start}-${end})`);
    }
    if (!/^ *-?\d+$/.test(text)) {
      const bad = text.trim() === '' ? 'are blank' : `hold ${show(text)}`;
      throw this.error(start, `columns ${start}-${end} ${bad}: ${what} must be a whole number, right-aligned`);
    }
    return Number(text);
  }
}

/** Line 1: the file marker, the number of sorts and statements, the title. */
function readHead(line: Line): Pick<DatFile, 'title' | 'nSorts' | 'nStatements'> {
  line.field(1, 3, 'the file marker ("  0")');
  const nSorts = line.field(4, 3, 'the number of sorts');
  const nStatements = line.field(7, 3, 'the number of statements');
  if (nSorts < 1) throw line.error(4, `the number of sorts is ${nSorts}`);
  if (nStatements < 2) throw line.error(7, `the number of statements is ${nStatements}; a Q sort needs at least 2`);
  const head = line.text;
  if (head.length >= 10 && head[9] !== ' ')
    throw line.error(10, `column 10 holds ${show(head.charAt(9))}; it must be a space before the title`);
  return { title: head.slice(10).trim(), nSorts, nStatements };
}

/** Line 2's scale: the lowest and highest value, within what PQMethod's columns can hold. */
function readScale(line: Line): DatFile['scale'] {
  const min = line.field(1, 3, 'the lowest value of the scale');
  const max = line.field(4, 3, 'the highest value of the scale');
  if (min > max) throw line.error(1, `the lowest value ${min} is above the highest value ${max}`);
  if (min < FIRST_COLUMN)
    throw line.error(1, `the lowest value ${min} is below ${FIRST_COLUMN}, where PQMethod's cards per column start`);
  if (min < -9 || max > 99) throw line.error(1, `the scale ${min}..${max} does not fit 2 columns per value`);
  return { min, max };
}

/** Line 2's cards per column, from -6 upward: zeros outside the scale, as many cards as line 1 has statements. */
function readColumnCounts(line: Line, { min, max }: DatFile['scale'], nStatements: number): number[] {
  const length = line.text.length;
  const rest = length - 6;
  if (rest % 3 !== 0) {
    const at = 7 + Math.floor(rest / 3) * 3;
    throw line.error(
      at,
      `the cards per column come in fields of 3 columns; the last field (from column ${at}) is incomplete`,
    );
  }
  const fields = rest / 3;
  const needed = max - FIRST_COLUMN + 1;
  if (fields < needed) {
    const columns = `columns ${7 + (needed - 1) * 3}-${9 + (needed - 1) * 3}`;
    throw line.error(length + 1, `the line ends before the number of cards in column ${max} (${columns})`);
  }
  const columnCounts: number[] = [];
  for (let i = 0; i < fields; i++) {
    const column = FIRST_COLUMN + i;
    const at = 7 + i * 3;
    const count = line.field(at, 3, `the number of cards in column ${column}`);
    if (count < 0) throw line.error(at, `column ${column} has ${count} cards`);
    if (column >= min && column <= max) columnCounts.push(count);
    else if (count !== 0) throw line.error(at, `column ${column} has ${count} cards, but the scale is ${min}..${max}`);
  }
  const cards = columnCounts.reduce((sum, count) => sum + count, 0);
  if (cards !== nStatements)
    throw line.error(7, `the cards per column add up to ${cards}, but line 1 says ${nStatements} statements`);
  return columnCounts;
}

/** A sort line: the name in columns 1-10 (its number when blank), then a value on the scale per statement. */
function readSort(line: Line, index: number, nStatements: number, { min, max }: DatFile['scale']) {
  const width = 10 + 2 * nStatements;
  const text = line.text;
  if (text.trim() === '') throw line.error(1, 'the line is empty; a sort line has a name and a value per statement');
  if (text.length < width) {
    const needs = `${nStatements} values (line 1) need columns 11-${width}`;
    throw line.error(text.length + 1, `the line ends at column ${text.length}; ${needs}`);
  }
  const after = text.slice(width);
  if (after.trim() !== '') {
    const at = width + 1 + (after.length - after.trimStart().length);
    throw line.error(at, `there is more after the last value (column ${width}): line 1 says ${nStatements} statements`);
  }
  const values: number[] = [];
  for (let i = 0; i < nStatements; i++) {
    const at = 11 + 2 * i;
    const value = line.field(at, 2, `the value of statement ${i + 1}`);
    if (value < min || value > max)
      throw line.error(at, `statement ${i + 1} has the value ${value}, outside the scale ${min}..${max} of line 2`);
    values.push(value);
  }
  return { name: text.slice(0, 10).trim() || String(index + 1), values };
}

export function parseDat(text: string, file?: string): DatFile {
  const lines = linesOf(text);
  const [head, second] = lines;
  if (head === undefined) throw new DatError(1, null, 'the file is empty', file);
  const { title, nSorts, nStatements } = readHead(new Line(head, 1, file));
  if (second === undefined) {
    const problem = 'the file ends after line 1; line 2 must give the scale and the cards per column';
    throw new DatError(2, null, problem, file);
  }
  const distribution = new Line(second.trimEnd(), 2, file);
  const scale = readScale(distribution);
  const columnCounts = readColumnCounts(distribution, scale, nStatements);
  const sortLines = lines.slice(2);
  if (sortLines.length > nSorts) {
    const problem = `line 1 says ${nSorts} sorts (columns 4-6), but the file has more sort lines (${sortLines.length})`;
    throw new DatError(3 + nSorts, null, problem, file);
  }
  if (sortLines.length < nSorts) {
    const problem = `line 1 says ${nSorts} sorts (columns 4-6), but the file has ${sortLines.length} sort lines`;
    throw new DatError(1, 4, problem, file);
  }
  const sorts = sortLines.map((line, s) => readSort(new Line(line, 3 + s, file), s, nStatements, scale));
  return {
    title,
    nSorts,
    nStatements,
    scale,
    columnCounts,
    sortNames: sorts.map((s) => s.name),
    sorts: sorts.map((s) => s.values),
  };
}

/** The statements of a .STA file: one a line, exactly as many as the .DAT has. */
export function parseSta(text: string, nStatements: number, file?: string): string[] {
  const lines = linesOf(text).map((l) => l.trimEnd());
  if (lines.length > nStatements)
    throw new DatError(
      nStatements + 1,
      null,
      `the .DAT has ${nStatements} statements, but the .STA has more lines (${lines.length})`,
      file,
    );
  if (lines.length < nStatements)
    throw new DatError(
      lines.length + 1,
      null,
      `the .STA ends after ${lines.length} statements, but the .DAT has ${nStatements}`,
      file,
    );
  lines.forEach((line, i) => {
    if (line.trim() === '') throw new DatError(i + 1, 1, `statement ${i + 1} is empty`, file);
  });
  return lines.map((l) => l.trim());
}
