/** A JSON object: not null, not an array (what a parsed body, a card's data or a stored record field must be). */
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
