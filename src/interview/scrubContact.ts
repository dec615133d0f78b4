import type { Span } from './scrubText.js';
import { defined } from '../defined.js';

/**
 * E-mail addresses and phone numbers, on normalised text (see scrubText.ts). Compiled once, at module load.
 */

const OPEN = String.raw`[(\[{<]`;
const CLOSE = String.raw`[)\]}>]`;
const LOCAL_WORD = String.raw`[\p{L}\p{N}_%+-](?:[\p{L}\p{N}._%+-]*[\p{L}\p{N}_%+-])?`;
const LOCAL = String.raw`(?<![\p{L}\p{N}._%+-])${LOCAL_WORD}`;
const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?`;
const TLD = String.raw`\p{L}{2,}(?![\p{L}\p{N}-])`;
/** "(dot)", "[punt]", " dot ", " punt ": how people write a dot they do not want a harvester to read. */
const SPOKEN_DOT = String.raw`(?:\s*${OPEN}\s*(?:dot|punt)\s*${CLOSE}\s*|\s+(?:dot|punt)\s+)`;
/** A dot, also with a space on both sides ("wij . nl"); a full stop has none before it. */
const DOT = String.raw`(?:\.|\s+\.\s+|${SPOKEN_DOT})`;
/** "@", " @ ", "(at)", "[at]", "{at}", "apenstaartje": the at sign, written or spelled out. */
const AT = String.raw`(?:\s*@\s*|\s*${OPEN}\s*(?:at|@|apenstaartje)\s*${CLOSE}\s*|\s+apenstaartje\s+)`;

/** The part before the at sign, dots spelled out too: "daan punt smit", "bram(punt)veenstra". */
const LOCAL_PART = String.raw`${LOCAL}(?:${SPOKEN_DOT}${LOCAL_WORD})*`;

const EMAIL = new RegExp(`${LOCAL_PART}${AT}${LABEL}(?:${DOT}${LABEL})*${DOT}${TLD}`, 'giu');
/** A bare " at " is ordinary English ("I work at wij.nl"): only with the dots spelled out too ("jan at wij dot nl"). */
const EMAIL_SPOKEN = new RegExp(`${LOCAL_PART}\\s+at\\s+${LABEL}(?:${SPOKEN_DOT}${LABEL})*${SPOKEN_DOT}${TLD}`, 'giu');

/** What each pattern cannot match without (an at sign, written or spelled out; " at " and a spoken dot). */
const HAS_AT = new RegExp(`@|apenstaartje|${OPEN}\\s*at`, 'iu');
const HAS_SPOKEN = [/\sat\s/iu, /dot|punt/iu];

export function findEmails(text: string): Span<'email'>[] {
  const patterns = [
    ...(HAS_AT.test(text) ? [EMAIL] : []),
    ...(HAS_SPOKEN.every((needed) => needed.test(text)) ? [EMAIL_SPOKEN] : []),
  ];
  return patterns.flatMap((re) =>
    [...text.matchAll(re)].map((m) => ({ start: m.index, end: m.index + m[0].length, kind: 'email' as const })),
  );
}

/**
 * A run of digits with the separators people put in phone numbers: spaces, dots, dashes, slashes, brackets around an
 * area code and "(0)" after a country code. The run is cut into groups of digits; from each group that can start a
 * number, the most groups that form a phone number are one ("06 12345678 12 jongeren", "groep 3 0612345678").
 */
const SEP = String.raw`\s?[./\p{Pd}]?\s?`;
const PHONE_RUN = new RegExp(
  String.raw`(?<![\p{L}\p{N}+])(?:\+\s?)?(?:\(\s?)?\d(?:(?:${SEP}\(\s?0\s?\)${SEP}|\s?[./\p{Pd}]\s?|\s|\s?\(\s?|\s?\)${SEP})?\d)*\)?`,
  'gu',
);
const GROUP = /\d+/g;
const MAX_DIGITS = 18;
/** A decimal, a time or a longer number goes on after the digits: "0612345678,5" or "10:15" are not phone numbers. */
const CONTINUES = /^(?:[.,:]\d|\p{L})/u;
/** "01-03-2019 12 gezinnen" starts with a date, not with a phone number. */
const DATE_START = /^(\d{1,2})\s?([./\p{Pd}])\s?(\d{1,2})\s?\2\s?\d{2}/u;

function startsWithDate(run: string): boolean {
  const m = DATE_START.exec(run);
  return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= 31 && Number(m[3]) >= 1 && Number(m[3]) <= 12;
}

/** Dutch (0 + 9 digits; +31 or 0031 + 9 digits, a trunk 0 allowed) or international (+ or 00, 8 to 15 digits). */
function isPhone(candidate: string): boolean {
  const international = /^(?:\+|00)/.test(candidate);
  const digits = candidate.replace(/\(\s?0\s?\)/g, '').replace(/\D/g, '');
  if (!international) return digits.length === 10 && digits[0] === '0' && digits[1] !== '0';
  const e164 = digits.startsWith('00') ? digits.slice(2) : digits;
  if (e164.startsWith('31')) {
    const national = e164.slice(2);
    return national.length === 9 ? national[0] !== '0' : national.length === 10 && national[0] === '0';
  }
  return e164.length >= 8 && e164.length <= 15 && e164[0] !== '0';
}

/** The end of the longest phone number that starts at `start` in `run` and ends with one of `ends`, or null. */
function phoneEnd(text: string, runAt: number, run: string, start: number, ends: number[]): number | null {
  for (const end of [...ends].reverse()) {
    // A closing bracket right after the last digit belongs to the number: "(050)".
    const cut = run[end] === ')' && run.slice(start, end).includes('(') ? end + 1 : end;
    if (end === run.length && CONTINUES.test(text.slice(runAt + end, runAt + end + 2))) continue;
    if (isPhone(run.slice(start, cut))) return cut;
  }
  return null;
}

/** A digit group of a phone run, at an index below the number of groups. */
function groupAt(groups: RegExpExecArray[], index: number): RegExpExecArray {
  return defined(groups[index], 'digit group of a phone run');
}

export function findPhones(text: string): Span<'phone'>[] {
  const spans: Span<'phone'>[] = [];
  for (const m of text.matchAll(PHONE_RUN)) {
    const run = m[0];
    const groups = [...run.matchAll(GROUP)];
    // A number holds at most MAX_DIGITS digits: each start looks at a few groups only, a long run stays linear.
    for (let i = 0; i < groups.length; i++) {
      const at = groupAt(groups, i).index;
      // A later number starts after a space or an opening bracket, never inside "03-1985".
      const before = i === 0 ? '' : run.slice(Math.max(0, at - 2), at);
      if (i > 0 && !/(?:\s|\(\s?)$/.test(before)) continue;
      const start = i === 0 ? 0 : at - (/\(\s?$/.exec(before)?.[0].length ?? 0);
      if (startsWithDate(run.slice(start, start + 12))) {
        i += 2;
        continue;
      }
      const ends: number[] = [];
      let digits = 0;
      for (let j = i; j < groups.length && (digits += groupAt(groups, j)[0].length) <= MAX_DIGITS; j++)
        ends.push(groupAt(groups, j).index + groupAt(groups, j)[0].length);
      const end = phoneEnd(text, m.index, run, start, ends);
      if (end === null) continue;
      spans.push({ start: m.index + start, end: m.index + end, kind: 'phone' });
      while (i + 1 < groups.length && groupAt(groups, i + 1).index < end) i++;
    }
  }
  return spans;
}
