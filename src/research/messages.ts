import { fill } from '../interview/messages.js';
import type { Locale } from '../interview/types.js';
import type { Round } from '../content/schema.js';
import { plurals } from '../plural.js';
// The texts are data, in messages.json beside this module: a new text gets its key there.
import texts from './messages.json' with { type: 'json' };

/**
 * What the bot says to researchers, in Dutch and English. `{n:one|other}` picks a plural form by the number n;
 * status, audience and weekday names come from the tables below, never from the stored English values.
 */
const MESSAGES = texts.messages satisfies Record<string, Record<Locale, string>>;

export type ResearchMessageKey = keyof typeof MESSAGES;

export function researcherText(
  locale: Locale,
  key: ResearchMessageKey,
  values?: Record<string, string | number>,
): string {
  return fill(plurals(locale, MESSAGES[key][locale], values), values);
}

/** How each command is used, in the researcher's words. */
const USAGE = texts.usage satisfies Record<string, Record<Locale, string>>;
export type UsageKey = keyof typeof USAGE;

export const usage = (locale: Locale, key: UsageKey) => USAGE[key][locale];

const STATUS = texts.status satisfies Record<Round['status'], Record<Locale, string>>;

const AUDIENCE = texts.audience satisfies Record<Round['audience'], Record<Locale, string>>;

export const statusName = (locale: Locale, status: Round['status']) => STATUS[status][locale];
export const audienceName = (locale: Locale, audience: Round['audience']) => AUDIENCE[audience][locale];
