export type Delimiter = ',' | ';';

/** A number is written as a number (a Q-sort column of -3 stays -3); text may be neutralised. */
export type Cell = string | number;

/** What a spreadsheet runs as a formula when a text cell starts with it (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One test per field, compiled once per delimiter. */
const NEEDS_QUOTES: Record<Delimiter, RegExp> = { ',': /[,"\r\n]/, ';': /[;"\r\n]/ };

/**
 * RFC 4180: a field holding the delimiter, a quote or a line break is quoted, with its quotes doubled. A text cell
 * that would start a formula gets a leading single quote, so that Excel or LibreOffice shows it as text.
 */
export function csvField(value: Cell, delimiter: Delimiter): string {
  // A number's text never holds a delimiter, a quote or a line break.
  if (typeof value === 'number') return String(value);
  if (isPlainText(value, delimiter)) return value;
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES[delimiter].test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Either of the two tests above in one pass over the text. */
const notPlain = (d: Delimiter) => new RegExp(`${FORMULA_START.source}|${NEEDS_QUOTES[d].source}`);
const NOT_PLAIN: Record<Delimiter, RegExp> = { ',': notPlain(','), ';': notPlain(';') };

/** A text cell written as it is: it starts no formula and needs no quotes (most answers). */
export function isPlainText(text: string, delimiter: Delimiter): boolean {
  return !NOT_PLAIN[delimiter].test(text);
}

/** RFC 4180's line end. */
export const EOL = '\r\n';

/** One record with its CRLF line end, as RFC 4180 has them. */
export function csvLine(row: Cell[], delimiter: Delimiter): string {
  return row.map((f) => csvField(f, delimiter)).join(delimiter) + EOL;
}

/** A byte order mark first, so that Excel reads the file as UTF-8. */
export const BOM = '\uFEFF';

/** UTF-8 with a byte order mark and CRLF line ends, made line by line while it is read. */
export async function* csvLines(
  rows: AsyncIterable<Cell[]> | Iterable<Cell[]>,
  delimiter: Delimiter,
): AsyncIterable<string> {
  yield BOM;
  for await (const row of rows) yield csvLine(row, delimiter);
}
