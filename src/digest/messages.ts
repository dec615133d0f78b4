import { fill } from '../interview/messages.js';
import type { Locale } from '../interview/types.js';
// The texts are data, in messages.json beside this module: a new text gets its key there.
import texts from './messages.json' with { type: 'json' };

/** The digest's own texts (the Academie reads Dutch by default; a round may ask for English). */
const TEXTS = texts.texts;

type Simple = {
  [K in keyof typeof TEXTS]: (typeof TEXTS)[K] extends { nl: string; en: string } ? K : never;
}[keyof typeof TEXTS];

export function digestText(locale: Locale, key: Simple, vars: Record<string, string | number> = {}): string {
  return fill(TEXTS[key][locale], vars);
}

export function statusText(locale: Locale, status: keyof (typeof TEXTS)['roundStatus']['nl']): string {
  return TEXTS.roundStatus[locale][status];
}

/** The digest's heading for a quote source, when it has one; else null (the guide's question text is used). */
export function sourceHeading(locale: Locale, questionId: string): string | null {
  const sources = TEXTS.sources as Record<string, { nl: string; en: string }>;
  return sources[questionId]?.[locale] ?? null;
}

/** Rounds to one decimal, halves away from zero, immune to binary noise (1.15 → 1.2, −1.25 → −1.3). */
export function round1(value: number): number {
  const scaled = Math.abs(value) * 10;
  const rounded = Math.round(scaled + 1e-9) / 10;
  return value < 0 && rounded !== 0 ? -rounded : rounded;
}

/** 1.5 → "1,5" in Dutch, "1.5" in English, −0.5 with a real minus sign; always one decimal. */
export function decimal(locale: Locale, value: number): string {
  const rounded = round1(value);
  const text = `${rounded < 0 ? '−' : ''}${Math.abs(rounded).toFixed(1)}`;
  return locale === 'nl' ? text.replace('.', ',') : text;
}

/** A column as shown: "+3", "0", "−3" (a real minus sign). */
export function signed(column: number): string {
  return column > 0 ? `+${column}` : column < 0 ? `−${-column}` : '0';
}

/** A change in a count: "+2", "−1", "0". */
export function delta(value: number): string {
  return value > 0 ? `+${value}` : value < 0 ? `−${-value}` : '0';
}
