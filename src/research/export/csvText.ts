export type Delimiter = ',' | ';';

/** RFC 4180: a field holding the delimiter, a quote or a line break is quoted, with its quotes doubled. */
export function csvField(value: string, delimiter: Delimiter): string {
  return NEEDS_QUOTES[delimiter].test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One test per field, compiled once per delimiter. */
const NEEDS_QUOTES: Record<Delimiter, RegExp> = { ',': /[,"\r\n]/, ';': /[;"\r\n]/ };

/** One record with its CRLF line end, as RFC 4180 has them. */
export function csvLine(row: string[], delimiter: Delimiter): string {
  return row.map((f) => csvField(f, delimiter)).join(delimiter) + '\r\n';
}

/** A byte order mark first, so that Excel reads the file as UTF-8. */
export const BOM = '\uFEFF';

/** UTF-8 with a byte order mark and CRLF line ends, made line by line while it is read. */
export async function* csvLines(rows: AsyncIterable<string[]> | Iterable<string[]>, delimiter: Delimiter): AsyncIterable<string> {
  yield BOM;
  for await (const row of rows) yield csvLine(row, delimiter);
}
