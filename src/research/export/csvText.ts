export type Delimiter = ',' | ';';

/** RFC 4180: a field holding the delimiter, a quote or a line break is quoted, with its quotes doubled. */
export function csvField(value: string, delimiter: Delimiter): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** UTF-8 with a byte order mark (so Excel reads it as UTF-8) and CRLF line ends, as RFC 4180 has them. */
export function csvDocument(rows: string[][], delimiter: Delimiter): string {
  return '\uFEFF' + rows.map((row) => row.map((f) => csvField(f, delimiter)).join(delimiter) + '\r\n').join('');
}
