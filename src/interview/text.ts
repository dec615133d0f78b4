import type { LocalText } from '../content/schema.js';
import type { Locale } from './types.js';

export type Vars = Record<string, string | number>;

/** Picks the participant's language and fills {{name}} placeholders of guide texts. */
export function localize(text: LocalText, locale: Locale, vars: Vars = {}): string {
  const chosen = text[locale];
  // Most texts (every card name and description) hold no placeholder: no pattern to run over them.
  if (!chosen.includes('{{')) return chosen;
  return chosen.replace(/\{\{([\w.]+)\}\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
}
