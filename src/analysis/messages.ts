import { fill } from '../interview/messages.js';
import type { Locale } from '../interview/types.js';
import { plurals } from '../plural.js';
// The texts are data, in messages.json beside this module: a new text gets its key there.
import texts from './messages.json' with { type: 'json' };

/** What the analysis report, the Teams summary and the digest section say, in Dutch and English. */
const TEXTS = texts.texts satisfies Record<string, Record<Locale, string>>;

export type AnalysisTextKey = keyof typeof TEXTS;

export function analysisText(locale: Locale, key: AnalysisTextKey, values?: Record<string, string | number>): string {
  return fill(plurals(locale, TEXTS[key][locale], values), values);
}

/** A number with fixed decimals, with a decimal comma in Dutch. */
export function num(locale: Locale, value: number | null, decimals = 2): string {
  if (value === null || !Number.isFinite(value)) return '–';
  const text = value.toFixed(decimals);
  return locale === 'nl' ? text.replace('.', ',') : text;
}

/** A column value with its sign: +3, 0, -2. */
export function signedColumn(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}

export const factorLabel = (f: number) => `F${f + 1}`;

/** Something the researcher should look at; `warnings` in the result holds the same in English. */
export type AnalysisWarning =
  | { kind: 'tooFewSorts'; sorts: number; factors: number }
  | { kind: 'negativeFlag'; sort: string; factor: number }
  | { kind: 'noDefiningSorts'; factor: number }
  | { kind: 'oneDefiningSort'; factor: number };

export function warningText(w: AnalysisWarning, locale: Locale): string {
  switch (w.kind) {
    case 'tooFewSorts':
      return analysisText(locale, 'warnTooFewSorts', { sorts: w.sorts, factors: w.factors });
    case 'negativeFlag':
      return analysisText(locale, 'warnNegativeFlag', { sort: w.sort, factor: factorLabel(w.factor) });
    case 'noDefiningSorts':
      return analysisText(locale, 'warnNoDefining', { factor: factorLabel(w.factor) });
    case 'oneDefiningSort':
      return analysisText(locale, 'warnOneDefining', { factor: factorLabel(w.factor) });
  }
}
