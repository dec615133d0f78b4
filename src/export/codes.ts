import { ExportError } from './errors.js';

/** Letter codes in consent order: shorter first, then alphabetical (A..Z, AA..). */
export function compareLetterCodes(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** R1 < R2 < R10. */
export function compareNumberCodes(a: string, b: string): number {
  return Number(a.slice(1)) - Number(b.slice(1));
}

/**
 * Numbers the interviews R1..Rn by the rank of their random tokens (from the key store): stable for a fixed set of
 * interviews, and unrelated to the letter code or the order of consent, so the two code spaces cannot be joined.
 */
export function numberCodes(tokens: Record<string, string>): Map<string, string> {
  const pairs = Object.entries(tokens);
  for (const [, token] of pairs)
    if (!token) throw new ExportError(`the key store returned no number token for an interview`);
  pairs.sort(([a, ta], [b, tb]) => (ta < tb ? -1 : ta > tb ? 1 : compareLetterCodes(a, b)));
  return new Map(pairs.map(([code], i) => [code, `R${i + 1}`]));
}
