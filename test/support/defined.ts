/**
 * What a test reads from a list or a record it expects to be there. A missing entry fails the test with what was
 * missing, instead of a TypeError further on or an assertion that quietly compares against `undefined`.
 */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Expected ${what}, found nothing`);
  return value;
}

/** An array, a typed array or a Buffer: anything with a length and `at`. */
interface Indexed<T> {
  readonly length: number;
  at(index: number): T | undefined;
}

/** The entry at `index`, a whole number (negative counts from the end, as `Array.prototype.at`). */
export function at<T>(list: Indexed<T>, index: number, what = 'entry'): T {
  const value = Number.isInteger(index) ? list.at(index) : undefined;
  return defined(value, `${what} at index ${index} of a list of ${list.length}`);
}

/** The one entry of a list that must hold exactly one. */
export function only<T>(list: Indexed<T>, what = 'entry'): T {
  if (list.length !== 1) throw new Error(`Expected exactly one ${what}, found ${list.length}`);
  return at(list, 0, what);
}

/** The cell of a matrix kept as a list of rows. */
export function cell<T>(matrix: readonly (readonly T[])[], row: number, column: number, what = 'matrix'): T {
  return at(at(matrix, row, `${what} row`), column, `${what} row ${row}, column`);
}
