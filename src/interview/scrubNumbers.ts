import { getCountrySpecifications, isValidIBAN } from 'ibantools';
import type { Span } from './scrubText.js';

/**
 * BSNs, IBANs and Dutch postcodes, on normalised text (see scrubText.ts). Compiled once, at module load.
 */

/** The Dutch BSN 11-test (elfproef): 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a multiple of 11, and not 0. */
export function passesElfproef(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(digits[i]);
  sum -= Number(digits[8]);
  return sum !== 0 && sum % 11 === 0;
}

/** Nine digits in any grouping ("123456782", "1234-56-782", "123.456.782", "12 34 56 782"), not part of a longer number. */
const NINE_DIGITS = /(?<!\p{N}[ .\p{Pd}]?)\d(?:[ .\p{Pd}]?\d){8}(?![ .\p{Pd}]?\p{N})/gu;

export function findBsns(text: string): Span<'bsn'>[] {
  return [...text.matchAll(NINE_DIGITS)]
    .filter((m) => passesElfproef(m[0].replace(/\D/g, '')))
    .map((m) => ({ start: m.index, end: m.index + m[0].length, kind: 'bsn' as const }));
}

/** Where an IBAN may start: a country code and two check digits, written in any case, maybe with a space. */
const IBAN_START = /(?<![\p{L}\p{N}])[A-Za-z]{2} ?\d{2}/gu;
const IBAN_LENGTH = new Map(
  Object.entries(getCountrySpecifications())
    .filter(([, s]) => s.chars)
    .map(([cc, s]) => [cc, s.chars as number]),
);
const ALNUM = /[A-Za-z0-9]/;
const IBAN_SEPARATOR = /[ .\p{Pd}]/u;

/**
 * The country's IBAN length of letters and digits from `start`, single separators allowed between them ("NL91 ABNA
 * 0417 1643 00", "NL91-ABNA-..."), or null; the checksum is ibantools' (mod 97 and the country's BBAN format).
 */
function ibanAt(text: string, start: number): Span<'iban'> | null {
  const length = IBAN_LENGTH.get(text.slice(start, start + 2).toUpperCase());
  if (!length) return null;
  let iban = '';
  let i = start;
  while (i < text.length && iban.length < length) {
    if (ALNUM.test(text.charAt(i))) iban += text[i++];
    else if (IBAN_SEPARATOR.test(text.charAt(i)) && iban.length > 0 && ALNUM.test(text[i + 1] ?? '')) i++;
    else break;
  }
  if (iban.length !== length || ALNUM.test(text[i] ?? '')) return null;
  return isValidIBAN(iban.toUpperCase()) ? { start, end: i, kind: 'iban' } : null;
}

export function findIbans(text: string): Span<'iban'>[] {
  return [...text.matchAll(IBAN_START)].map((m) => ibanAt(text, m.index)).filter((s): s is Span<'iban'> => s !== null);
}

/** Four digits (not starting with 0) and two letters; SA, SD and SS are never issued. */
const POSTCODE = /(?<![\p{L}\p{N}])[1-9]\d{3}( ?)([A-Za-z]{2})(?![\p{L}\p{N}])/gu;
const NEVER_ISSUED = new Set(['SA', 'SD', 'SS']);
/** Units written straight after a number ("1200km"). */
const UNITS = new Set([
  'km',
  'kg',
  'mg',
  'ml',
  'cm',
  'mm',
  'dl',
  'cl',
  'gb',
  'mb',
  'kb',
  'kw',
  'pk',
  'uu',
  'st',
  'nd',
  'rd',
  'th',
  'am',
  'pm',
]);
/** Two-letter words that follow a year or an amount in a sentence ("in 2018 op de afdeling", "sinds 2021 en"). */
const SHORT_WORDS = new Set([
  ...UNITS,
  ...'aa af al as at be by ca cq de do en er ex ga ge ha he hè ie if ik in is it ja je jo ka la ma me mi my na nb no nu of oh ok om on op or pa pc re so ta te to tv up us uw vs we wo za ze zo'.split(
    ' ',
  ),
]);

/**
 * Dutch postcodes. A year or an amount followed by a word is not one: in capitals ("9711 AB") or written together
 * ("9711ab") it is a postcode; in lower case with a space ("9711 ab") only when the letters are not a word or a unit.
 */
export function findPostcodes(text: string): Span<'postcode'>[] {
  return [...text.matchAll(POSTCODE)]
    .filter((m) => {
      const [, space, letters = ''] = m;
      if (NEVER_ISSUED.has(letters.toUpperCase())) return false;
      if (letters === letters.toUpperCase()) return true;
      return !(space ? SHORT_WORDS : UNITS).has(letters.toLowerCase());
    })
    .map((m) => ({ start: m.index, end: m.index + m[0].length, kind: 'postcode' as const }));
}
