import { MONTH_NAMES } from './monthNames.js';
import type { Span } from './scrubText.js';

/**
 * Dates that can be a date of birth, on normalised text (see scrubText.ts): a full date, day + month + year, numeric
 * or written out in Dutch or English. A year alone, a month and year ("maart 2023") or a day and month without a
 * year ("op 1 april") is not one and stays. Compiled once, at module load.
 */

const MONTHS = [
  ...MONTH_NAMES,
  'febr',
  'sept',
  'jan',
  'feb',
  'mrt',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'okt',
  'oct',
  'nov',
  'dec',
]
  .sort((a, b) => b.length - a.length)
  .join('|');
const DAY = String.raw`(\d{1,2})(?:ste|st|nd|rd|th|de|e)?`;
const YEAR = String.raw`(\d{4}|['’]\d{2})`;
const MONTH = String.raw`(?:${MONTHS})\.?`;
const EDGE_BEFORE = String.raw`(?<![\p{L}\p{N}])`;
const EDGE_AFTER = String.raw`(?![\p{L}\p{N}])`;

/** "12 maart 1985", "12th of March 1985", "2 febr. 1990", "1 mei '88". */
const DAY_MONTH_YEAR = new RegExp(`${EDGE_BEFORE}${DAY}\\.?\\s+(?:of\\s+)?${MONTH},?\\s+${YEAR}${EDGE_AFTER}`, 'giu');
/** "March 12, 1985", "Aug. 3rd, 1990". */
const MONTH_DAY_YEAR = new RegExp(`${EDGE_BEFORE}${MONTH}\\s+${DAY},?\\s+${YEAR}${EDGE_AFTER}`, 'giu');
/** "12-03-1985", "12/3/85", "12-3-'85", "07.11.2008", "12 - 03 - 1985"; one separator throughout; not part of a longer number. */
const NUMERIC =
  /(?<!\p{N}[./\p{Pd}]?)(\d{1,2})(\s?)([./\p{Pd}])\2(\d{1,2})\2\3\2(\d{4}|['’]?\d{2})(?![./\p{Pd}]?\p{N})/gu;
/** "1985-03-12", "1992/08/28". */
const ISO = /(?<!\p{N}[./\p{Pd}]?)(\d{4})([./\p{Pd}])(\d{1,2})\2(\d{1,2})(?![./\p{Pd}]?\p{N})/gu;

const isDay = (d: number): boolean => d >= 1 && d <= 31;
const isMonth = (m: number): boolean => m >= 1 && m <= 12;
const isYear = (y: string): boolean => y.length !== 4 || (Number(y) >= 1900 && Number(y) <= 2099);

function numeric(m: RegExpMatchArray): boolean {
  // Every group of NUMERIC takes part in a match: the defaults are for the type only.
  const [, first = '', space = '', separator = '', second = '', written = ''] = m;
  const [a, b] = [Number(first), Number(second)];
  const year = written.replace(/\D/g, '');
  // A two-digit year only written tight ("12/3/85"): "12 - 18 - 23" is a list of ages.
  if (year.length === 2 && space !== '') return false;
  // Month first is the American order, written with slashes.
  return isYear(year) && ((isDay(a) && isMonth(b)) || (separator === '/' && isMonth(a) && isDay(b)));
}

const span = (m: RegExpMatchArray): Span<'date'> => ({ start: m.index!, end: m.index! + m[0].length, kind: 'date' });

export function findDates(text: string): Span<'date'>[] {
  const written = [DAY_MONTH_YEAR, MONTH_DAY_YEAR].flatMap((re) =>
    [...text.matchAll(re)].filter(
      ([, day, year = '']) => isDay(Number(day)) && isYear(year.replace(/\D/g, '').padStart(4, '19')),
    ),
  );
  return [
    ...written.map(span),
    ...[...text.matchAll(NUMERIC)].filter(numeric).map(span),
    ...[...text.matchAll(ISO)]
      .filter(([, year = '', , month, day]) => isYear(year) && isMonth(Number(month)) && isDay(Number(day)))
      .map(span),
  ];
}
