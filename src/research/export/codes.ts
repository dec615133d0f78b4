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
  const codes = Object.keys(tokens);
  for (const code of codes) if (!tokens[code]) throw new ExportError(`the key store returned no number token for an interview`);
  codes.sort((a, b) => (tokens[a] < tokens[b] ? -1 : tokens[a] > tokens[b] ? 1 : compareLetterCodes(a, b)));
  return new Map(codes.map((code, i) => [code, `R${i + 1}`]));
}
