export type Delimiter = ',' | ';';

/** A number is written as a number (a Q-sort column of -3 stays -3); text may be neutralised. */
export type Cell = string | number;

/** What a spreadsheet runs as a formula when a text cell starts with it (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * RFC 4180: a field holding the delimiter, a quote or a line break is quoted, with its quotes doubled. A text cell
 * that would start a formula gets a leading single quote, so that Excel or LibreOffice shows it as text.
 */
export function csvField(value: Cell, delimiter: Delimiter): string {
  const text = typeof value === 'number' ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8 with a byte order mark (so Excel reads it as UTF-8) and CRLF line ends, as RFC 4180 has them. */
export function csvDocument(rows: Cell[][], delimiter: Delimiter): string {
  return '\uFEFF' + rows.map((row) => row.map((f) => csvField(f, delimiter)).join(delimiter) + '\r\n').join('');
}
