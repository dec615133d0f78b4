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
 * The codes in R order: by the rank of their random tokens (from the key store, tokens[i] being codes[i]'s), a tie
 * by letter code. Stable for a fixed set of interviews, and unrelated to the letter code or the order of consent,
 * so the two code spaces cannot be joined. An index is sorted, not pairs: no array of two a code.
 */
export function inTokenOrder(codes: readonly string[], tokens: readonly string[]): string[] {
  for (const token of tokens)
    if (!token) throw new ExportError(`the key store returned no number token for an interview`);
  const order = Array.from(codes.keys());
  order.sort((a, b) => {
    const ta = tokens[a] ?? '';
    const tb = tokens[b] ?? '';
    return ta < tb ? -1 : ta > tb ? 1 : compareLetterCodes(codes[a] ?? '', codes[b] ?? '');
  });
  return order.map((i) => codes[i] ?? '');
}

/** The R code of the interview at this index of the R order: R1, R2, ... */
export function participantAt(index: number): string {
  return `R${index + 1}`;
}

/** Numbers the interviews R1..Rn in token order (see inTokenOrder; tokens[i] is codes[i]'s). */
export function numberCodes(codes: readonly string[], tokens: readonly string[]): Map<string, string> {
  const ordered = inTokenOrder(codes, tokens);
  return new Map(ordered.map((code, i) => [code, participantAt(i)]));
}
