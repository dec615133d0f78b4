import type { LocalText } from '../content/schema.js';
import type { Locale } from './types.js';

export type Vars = Record<string, string | number>;

/** Picks the participant's language and fills {{name}} placeholders of guide texts. */
export function localize(text: LocalText, locale: Locale, vars: Vars = {}): string {
  return text[locale].replace(/\{\{([\w.]+)\}\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
}
