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

/** The integer in columns start..start+width-1 of a line, right-aligned (leading blanks, no trailing ones). */
function field(line: string, lineNo: number, start: number, width: number, what: string, file?: string): number {
  const end = start + width - 1;
  const text = line.slice(start - 1, end);
  if (text.length < width) {
    throw new DatError(
      lineNo,
      line.length + 1,
      `the line ends at column ${line.length}, before ${what} (columns ${start}-${end})`,
      file,
    );
  }
  if (!/^ *-?\d+$/.test(text)) {
    const bad = text.trim() === '' ? 'are blank' : `hold ${show(text)}`;
    throw new DatError(
      lineNo,
      start,
      `columns ${start}-${end} ${bad}: ${what} must be a whole number, right-aligned`,
      file,
    );
  }
  return Number(text);
}

export function parseDat(text: string, file?: string): DatFile {
  const lines = linesOf(text);
  const [head, second] = lines;
  if (head === undefined) throw new DatError(1, null, 'the file is empty', file);

  // Line 1.
  field(head, 1, 1, 3, 'the file marker ("  0")', file);
  const nSorts = field(head, 1, 4, 3, 'the number of sorts', file);
  const nStatements = field(head, 1, 7, 3, 'the number of statements', file);
  if (nSorts < 1) throw new DatError(1, 4, `the number of sorts is ${nSorts}`, file);
  if (nStatements < 2)
    throw new DatError(1, 7, `the number of statements is ${nStatements}; a Q sort needs at least 2`, file);
  if (head.length >= 10 && head[9] !== ' ')
    throw new DatError(1, 10, `column 10 holds ${show(head.charAt(9))}; it must be a space before the title`, file);
  const title = head.slice(10).trim();

  // Line 2.
  if (second === undefined)
    throw new DatError(
      2,
      null,
      'the file ends after line 1; line 2 must give the scale and the cards per column',
      file,
    );
  const dist = second.trimEnd();
  const min = field(dist, 2, 1, 3, 'the lowest value of the scale', file);
  const max = field(dist, 2, 4, 3, 'the highest value of the scale', file);
  if (min > max) throw new DatError(2, 1, `the lowest value ${min} is above the highest value ${max}`, file);
  if (min < FIRST_COLUMN)
    throw new DatError(
      2,
      1,
      `the lowest value ${min} is below ${FIRST_COLUMN}, where PQMethod's cards per column start`,
      file,
    );
  if (min < -9 || max > 99) throw new DatError(2, 1, `the scale ${min}..${max} does not fit 2 columns per value`, file);
  const rest = dist.length - 6;
  if (rest % 3 !== 0) {
    const at = 7 + Math.floor(rest / 3) * 3;
    throw new DatError(
      2,
      at,
      `the cards per column come in fields of 3 columns; the last field (from column ${at}) is incomplete`,
      file,
    );
  }
  const fields = rest / 3;
  const needed = max - FIRST_COLUMN + 1;
  if (fields < needed) {
    throw new DatError(
      2,
      dist.length + 1,
      `the line ends before the number of cards in column ${max} (columns ${7 + (needed - 1) * 3}-${9 + (needed - 1) * 3})`,
      file,
    );
  }
  const columnCounts: number[] = [];
  let cards = 0;
  for (let i = 0; i < fields; i++) {
    const column = FIRST_COLUMN + i;
    const at = 7 + i * 3;
    const count = field(dist, 2, at, 3, `the number of cards in column ${column}`, file);
    if (count < 0) throw new DatError(2, at, `column ${column} has ${count} cards`, file);
    if (column < min || column > max) {
      if (count !== 0)
        throw new DatError(2, at, `column ${column} has ${count} cards, but the scale is ${min}..${max}`, file);
    } else {
      columnCounts.push(count);
      cards += count;
    }
  }
  if (cards !== nStatements) {
    throw new DatError(
      2,
      7,
      `the cards per column add up to ${cards}, but line 1 says ${nStatements} statements`,
      file,
    );
  }

  // Sort lines.
  const sortLines = lines.slice(2);
  if (sortLines.length !== nSorts) {
    if (sortLines.length > nSorts)
      throw new DatError(
        3 + nSorts,
        null,
        `line 1 says ${nSorts} sorts (columns 4-6), but the file has more sort lines (${sortLines.length})`,
        file,
      );
    throw new DatError(
      1,
      4,
      `line 1 says ${nSorts} sorts (columns 4-6), but the file has ${sortLines.length} sort lines`,
      file,
    );
  }
  const width = 10 + 2 * nStatements;
  const sortNames: string[] = [];
  const sorts: number[][] = [];
  sortLines.forEach((line, s) => {
    const lineNo = 3 + s;
    if (line.trim() === '')
      throw new DatError(lineNo, 1, 'the line is empty; a sort line has a name and a value per statement', file);
    if (line.length < width) {
      throw new DatError(
        lineNo,
        line.length + 1,
        `the line ends at column ${line.length}; ${nStatements} values (line 1) need columns 11-${width}`,
        file,
      );
    }
    if (line.slice(width).trim() !== '') {
      const at = width + 1 + (line.slice(width).length - line.slice(width).trimStart().length);
      throw new DatError(
        lineNo,
        at,
        `there is more after the last value (column ${width}): line 1 says ${nStatements} statements`,
        file,
      );
    }
    const values: number[] = [];
    for (let i = 0; i < nStatements; i++) {
      const at = 11 + 2 * i;
      const value = field(line, lineNo, at, 2, `the value of statement ${i + 1}`, file);
      if (value < min || value > max)
        throw new DatError(
          lineNo,
          at,
          `statement ${i + 1} has the value ${value}, outside the scale ${min}..${max} of line 2`,
          file,
        );
      values.push(value);
    }
    sortNames.push(line.slice(0, 10).trim() || String(s + 1));
    sorts.push(values);
  });

  return { title, nSorts, nStatements, scale: { min, max }, columnCounts, sortNames, sorts };
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
