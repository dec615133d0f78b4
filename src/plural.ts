import type { Locale } from './interview/types.js';

const RULES: Record<Locale, Intl.PluralRules> = { nl: new Intl.PluralRules('nl'), en: new Intl.PluralRules('en') };

/**
 * Chooses plural forms written into a text as `{name:one|other}` by the number `values[name]` ("{n} {n:kaart|kaarten}"
 * gives "1 kaart", "6 kaarten"), with the language's plural rules. Other placeholders are left for `fill`.
 */
export function plurals(locale: Locale, template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+):([^|{}]*)\|([^{}]*)\}/g, (whole, key: string, one: string, other: string) => {
    const n = Number(values[key]);
    if (!(key in values) || !Number.isFinite(n)) return whole;
    return RULES[locale].select(n) === 'one' ? one : other;
  });
}
