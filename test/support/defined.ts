/**
 * What a test reads from a list or a record it expects to be there. A missing entry fails the test with what was
 * missing, instead of a TypeError further on or an assertion that quietly compares against `undefined`.
 */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Expected ${what}, found nothing`);
  return value;
}

/** The entry at `index`, a whole number (negative counts from the end, as `Array.prototype.at`). */
export function at<T>(list: readonly T[], index: number, what = 'entry'): T {
  const value = Number.isInteger(index) ? list.at(index) : undefined;
  return defined(value, `${what} at index ${index} of a list of ${list.length}`);
}

/** The one entry of a list that must hold exactly one. */
export function only<T>(list: readonly T[], what = 'entry'): T {
  if (list.length !== 1) throw new Error(`Expected exactly one ${what}, found ${list.length}`);
  return at(list, 0, what);
}
