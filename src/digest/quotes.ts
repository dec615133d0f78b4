import type { Deck, Guide, Round } from '../content/schema.js';
import { MARKERS, scrub } from '../interview/scrub.js';
import type { InterviewRecord, Locale } from '../interview/types.js';
import { localize } from '../interview/text.js';
import { allowedWordsOf, mayNameSomeone } from '../interview/nameGuard.js';
import { sourceHeading } from './messages.js';

/** Where the Academie's quotes come from: what participants said of the Academie, and of training and support. */
export const QUOTE_SOURCES: readonly { step: string; question: string }[] = [
  { step: 'organisation', question: 'academy' },
  { step: 'training', question: 'need' },
  { step: 'training', question: 'form' },
];

export const QUOTE_MAX_CHARS = 280;
/** Answers shorter than this ("nee", "geen idee") say nothing to the Academie. */
const MIN_WORDS = 4;

/** A quote has no participant number: one would link a person's quotes across digests and to the export. */
export interface Quote {
  text: string;
}

export interface QuoteGroup {
  step: string;
  question: string;
  heading: string;
  quotes: Quote[];
}

/**
 * Whitespace made single, the quote at most `max` characters: whole sentences where possible, else cut at a word with
 * "…".
 */
export function shortenQuote(text: string, max = QUOTE_MAX_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const sentences = flat.match(/[^.!?…]+(?:[.!?…]+["'”’)]*|$)\s*/g) ?? [flat];
  let out = '';
  for (const sentence of sentences) {
    if ((out + sentence).trimEnd().length + 2 > max) break;
    out += sentence;
  }
  out = out.trimEnd();
  if (out) return `${out} …`;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:–-]+$/, '')}…`;
}

/** Anything scrub (now, or at the interview) replaced: a quote that had contact details or a name in it is not used. */
function hasMarker(text: string): boolean {
  return Object.values(MARKERS).some((m) => text.includes(m));
}

/**
 * One answer as a quote, or null: scrubbed again, shortened, and dropped when it had anything scrubbed, may name
 * someone, carries a long number (a case or file number) or a link, or is too short to say something.
 */
export function quoteOf(answer: string, allowed: Set<string>): string | null {
  const scrubbed = scrub(answer);
  if (hasMarker(scrubbed)) return null;
  if (/\d[\d\s./-]{4,}\d/.test(scrubbed) || /\d{5,}/.test(scrubbed)) return null;
  // A link can point at anyone (a profile, a file); it also has no place in a quote.
  if (/https?:\/\/|www\.|\]\(/i.test(scrubbed)) return null;
  const text = shortenQuote(scrubbed);
  if (text.split(/\s+/).filter((w) => /[\p{L}]/u.test(w)).length < MIN_WORDS) return null;
  if (mayNameSomeone(text, allowed)) return null;
  return text;
}

export interface QuoteInput {
  guide: Guide;
  deck: Deck;
  round: Round;
  /** Completed interviews. */
  interviews: InterviewRecord[];
  locale: Locale;
}

/**
 * The quotes per source question, in guide order; only participants who consented to quoting. Each group is sorted
 * by its text, so that the order says nothing about who answered first or who is new since the previous digest.
 */
export function pickQuotes(input: QuoteInput): QuoteGroup[] {
  const allowed = allowedWordsOf(input.guide, input.deck, input.round);
  const collator = new Intl.Collator(input.locale);
  const groups: QuoteGroup[] = [];
  for (const source of QUOTE_SOURCES) {
    const step = input.guide.steps.find((s) => s.id === source.step);
    const question =
      step && 'questions' in step
        ? step.questions.find((q) => q.id === source.question && q.type === 'text')
        : undefined;
    if (!question) continue;
    const quotes: Quote[] = [];
    for (const record of input.interviews) {
      if (!record.completedAt || record.consent.quote !== true) continue;
      const answer = record.answers[source.step]?.[source.question];
      if (typeof answer !== 'string') continue;
      const text = quoteOf(answer, allowed);
      if (text) quotes.push({ text });
    }
    quotes.sort((a, b) => collator.compare(a.text, b.text));
    const heading = sourceHeading(input.locale, source.question) ?? localize(question.text, input.locale);
    groups.push({ step: source.step, question: source.question, heading, quotes });
  }
  return groups;
}
