import type { Locale } from './types.js';
// The texts are data, in messages.json beside this module: a new text gets its key there.
import texts from './messages.json' with { type: 'json' };

/** The bot's own participant-facing texts; the interview's questions live in the guide files. */
const MESSAGES = texts.messages satisfies Record<string, Record<Locale, string>>;

export type MessageKey = keyof typeof MESSAGES;

/** Fills {name} placeholders; a missing value leaves the placeholder visible so that it is noticed in tests. */
export function fill(template: string, values: Record<string, string | number> = {}): string {
  if (!template.includes('{')) return template;
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

export function participantText(locale: Locale, key: MessageKey, values?: Record<string, string | number>): string {
  return fill(MESSAGES[key][locale], values);
}

/** Teams sends BCP 47 locales such as "nl-NL" or "en-US"; Dutch is the default. */
export function localeOf(activityLocale: unknown): Locale {
  return typeof activityLocale === 'string' && activityLocale.toLowerCase().startsWith('en') ? 'en' : 'nl';
}
