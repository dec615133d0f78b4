import { findAddresses } from './scrubAddress.js';
import { findEmails, findPhones } from './scrubContact.js';
import { findDates } from './scrubDates.js';
import { findNames, nameMatcher } from './scrubNames.js';
import { findBsns, findIbans, findPostcodes } from './scrubNumbers.js';
import { normalise, render, toOriginal, type NormalisedText, type Span } from './scrubText.js';

export { passesElfproef } from './scrubNumbers.js';

/** Markers that replace what was removed; they say what kind of thing stood there, never what it was. */
export const MARKERS = {
  email: '[e-mail]',
  phone: '[telefoon]',
  postcode: '[postcode]',
  bsn: '[bsn]',
  iban: '[iban]',
  date: '[datum]',
  address: '[adres]',
  name: '[naam]',
} as const;

export type IdentifierKind = keyof typeof MARKERS;
export type Identifier = Span<IdentifierKind>;

/** The participant's names as the profile gives them: a display name, or given name and surname; missing parts skipped. */
export type ParticipantName = string | readonly (string | null | undefined)[] | null | undefined;

function namesOf(name: ParticipantName): string[] {
  return (typeof name === 'string' ? [name] : [...(name ?? [])]).filter(
    (n): n is string => typeof n === 'string' && n.trim() !== '',
  );
}

/** Overlapping finds become one (an e-mail with the name in it, an IBAN whose digits look like a phone number); the longest find names the kind. */
function merge(spans: Identifier[]): Identifier[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: { span: Identifier; longest: number }[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && s.start < last.span.end) {
      if (s.end - s.start > last.longest) [last.longest, last.span.kind] = [s.end - s.start, s.kind];
      last.span.end = Math.max(last.span.end, s.end);
    } else {
      out.push({ span: { ...s }, longest: s.end - s.start });
    }
  }
  return out.map((o) => o.span);
}

/**
 * What in a free-text answer could identify someone, as spans of the typed text (sorted, not overlapping): e-mail
 * addresses, phone numbers, postcodes, BSNs, IBANs, full dates, street addresses and the participant's own names.
 */
export function findIdentifiers(text: string, name?: ParticipantName): Identifier[] {
  return identifiersIn(normalise(text), name);
}

/** Every pattern but the e-mail addresses' and the names' needs a digit (ASCII: the text is NFKC already). */
const DIGIT = /\d/;

function identifiersIn(n: NormalisedText, name: ParticipantName): Identifier[] {
  const numbered = DIGIT.test(n.text)
    ? [
        ...findIbans(n.text),
        ...findPhones(n.text),
        ...findBsns(n.text),
        ...findPostcodes(n.text),
        ...findDates(n.text),
        ...findAddresses(n.text),
      ]
    : [];
  const found: Identifier[] = [...findEmails(n.text), ...numbered, ...findNames(n.text, nameMatcher(namesOf(name)))];
  return merge(found.map((s) => toOriginal(n, s)));
}

/**
 * The answer with every identifier replaced by its marker; the rest stays as typed, less invisible characters
 * (zero-width, bidi controls) that could hide something from the patterns or from a reader of the export.
 */
export function scrub(text: string, name?: ParticipantName): string {
  const n = normalise(text);
  return render(n, identifiersIn(n, name), (kind) => MARKERS[kind]);
}
