/**
 * A value the code's own construction guarantees (an index below a loop bound, a key of a table built just above, a
 * length checked already): TypeScript cannot see that an indexed read hits, and a miss here can only be a bug, so
 * it stops with an internal error instead of letting `undefined` travel on as a value. Not for input, content or
 * stored data: a missing entry there is a real possibility and gets its own message. `what` is a fixed phrase, so a
 * call on a hot path builds no string.
 */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`internal error: ${what} is missing`);
  return value;
}
