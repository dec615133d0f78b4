import type { Span } from './scrubText.js';

/**
 * A street name with a house number, on normalised text (see scrubText.ts): Dutch "Hoofdstraat 12a", "Oude
 * Ebbingestraat 34", "Grote Markt 1", "Wilhelminalaan 5-II", and English "12 Baker Street". A street name without a
 * number ("de Hoofdstraat in Hoogezand") stays: it names a place, not a home. Compiled once, at module load.
 */

/** Endings of Dutch street names ("str." too, see below). Left out on purpose: -pad ("Leerpad 2"), -baan ("Loopbaan"), -ring ("Training"). */
const SUFFIXES =
  'straat|laan|weg|plein|singel|gracht|kade|dijk|steeg|hof|dreef|markt|plantsoen|diep|boulevard|allee|park|zoom';
/** Words that open street names; at the start of a sentence only these, elsewhere any capitalised word ("Ubbo Emmius"). */
const OPENERS =
  'Oude|Nieuwe|Grote|Kleine|Lange|Korte|Hoge|Lage|Verlengde|Eerste|Tweede|Derde|Sint|St\\.|Van|De|Den|Der|Burgemeester|Burg\\.|Dr\\.|Prof\\.|Koningin|Prins|Prinses|Noorder|Zuider|Ooster|Wester';
/** Words in front of a street's own name: "Oude", "Grote Markt", "Van Lenneplaan", "Ubbo Emmiussingel"; not "Postadres". */
const LEAD = String.raw`(?:(?:(?:${OPENERS})|(?<!(?:^|[.!?:;]\s*))\p{Lu}[\p{L}'’-]*\.?)\s+){0,3}`;
/** "12", "12a", "5-II", "2-4", "74 b", "12 bis"; never a year ("Arbeidsmarkt 2024"). */
const NUMBER = String.raw`(?!(?:19|20)\d\d(?!\p{N}))\d{1,4}(?:\s?[a-zA-Z](?!\p{L})|\s?[\/\p{Pd}]\s?(?:\d{1,4}|[IVX]{1,4}|[a-zA-Z]{1,3})(?![\p{L}\p{N}])|\s(?:bis|hs|huis|bg|rd|zw|I{1,3}|IV)(?!\p{L}))?(?![\p{N}]|[.,]\d)`;
const CAPITALISED_STREET = String.raw`\p{Lu}\p{Ll}*(?:${SUFFIXES}|str\.)`;
const SEPARATE_SUFFIX = String.raw`(?:${SUFFIXES.split('|')
  .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
  .join('|')})`;

const DUTCH = new RegExp(
  String.raw`(?<![\p{L}\p{N}])${LEAD}(?:${CAPITALISED_STREET}|(?<=\p{Lu}[\p{L}'’-]*\.?\s+)${SEPARATE_SUFFIX})\s+${NUMBER}`,
  'gu',
);
/**
 * Typed in lower case ("adres: hoofdstraat 12"), only when nothing follows the number but punctuation, the end, a
 * postcode or "in/te" and a place: "op de snelweg 2 uur" is not an address.
 */
const LOWER_CASE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])\p{Ll}{2,}(?:${SUFFIXES}|str\.)\s+${NUMBER}(?=\s*(?:[,.;:!?)]|$)|\s+[1-9]\d{3}\s?[A-Za-z]{2}(?!\p{L})|\s+(?:in|te)\s+\p{Lu})`,
  'gu',
);
const ENGLISH = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?!(?:19|20)\d\d(?!\p{N}))\d{1,4}[A-Za-z]?\s+(?:\p{Lu}[\p{L}'’-]*\s+){1,3}(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Drive|Close|Square|Place|Crescent|Terrace|Gardens|Court|Way)(?!\p{L})`,
  'gu',
);

export function findAddresses(text: string): Span<'address'>[] {
  return [DUTCH, LOWER_CASE, ENGLISH].flatMap((re) =>
    [...text.matchAll(re)].map((m) => ({ start: m.index, end: m.index + m[0].length, kind: 'address' as const })),
  );
}
