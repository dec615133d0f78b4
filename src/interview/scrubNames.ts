import type { Span } from './scrubText.js';

/**
 * The participant's own given name and surname, in any letter case, with or without diacritics ("Joël" finds
 * "joel", "Yılmaz" finds "YILMAZ"). One pattern per name, built once and kept in a small cache: a participant's
 * turns reuse it.
 */

/** Name particles: never a name on their own ("de jongere van het gezin"). */
const PARTICLES = new Set([
  'van',
  'der',
  'den',
  'de',
  'del',
  'della',
  'des',
  'di',
  'da',
  'do',
  'dos',
  'du',
  'el',
  'het',
  "'t",
  'in',
  'la',
  'le',
  'op',
  'te',
  'ten',
  'ter',
  'uit',
  'von',
  'zu',
  'aan',
  'bij',
]);
/** Letters that are not a base letter plus a combining mark, with the letter they are read as. */
const OTHER_FORMS: Record<string, string> = { ø: 'o', đ: 'd', ł: 'l', ı: 'i', ħ: 'h', ŧ: 't' };
const NOT_IN_WORD = String.raw`(?<![\p{L}\p{M}\p{N}])`;
const END_OF_WORD = String.raw`(?![\p{L}\p{M}\p{N}])`;
const CACHE_SIZE = 256;

/** Base letter → every precomposed Latin letter read as it, both cases ("e" → "eEéÉèÈ…"). */
const FORMS = (() => {
  const forms = new Map<string, Set<string>>();
  const add = (base: string, ch: string) => {
    const set = forms.get(base) ?? new Set<string>();
    for (const c of [ch, ch.toLowerCase(), ch.toUpperCase()]) if (c.length === 1) set.add(c);
    forms.set(base, set);
  };
  for (let cp = 0x41; cp <= 0x24f; cp++) {
    const ch = String.fromCodePoint(cp);
    const base = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    if (/^[a-z]$/.test(base)) add(base, ch);
  }
  for (const [ch, base] of Object.entries(OTHER_FORMS)) add(base, ch);
  add('i', 'İ');
  return new Map([...forms].map(([base, set]) => [base, [...set].join('')]));
})();

function fold(text: string): string {
  return [...text.normalize('NFKC').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()]
    .map((c) => OTHER_FORMS[c] ?? c)
    .join('');
}

/** A pattern for one word: each letter any of its forms (optionally followed by combining marks); `capital` makes the first letter upper case only. */
function wordPattern(word: string, capital = false): string {
  return [...fold(word)]
    .map((c, i) => {
      const forms = FORMS.get(c);
      // Only syntax characters are escaped: under the u flag an escaped "-" outside a class is an error.
      if (!forms) return /['’]/.test(c) ? "['’]" : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      const chosen = capital && i === 0 ? [...forms].filter((f) => f !== f.toLowerCase()).join('') : forms;
      return `[${chosen}]\\p{M}*`;
    })
    .join('');
}

/**
 * The patterns of one name as written in a profile ("Anouk van der Meer", "Vries, Jan de", "Jansen-de Vries (WIJ)").
 * A part after particles ("Meer" in "van der Meer") is often an ordinary word: it is found with its particles in any
 * case ("van der meer") or on its own when capitalised ("Meer"), not as the word "meer".
 */
function namePatterns(name: string): string[] {
  const plain = name.replace(/\([^)]*\)/g, ' ');
  const [before = '', after] = plain.split(',', 2);
  const ordered = after === undefined ? before : `${after} ${before}`;
  const patterns: string[] = [];
  let particles: string[] = [];
  for (const token of ordered.split(/[\s/]+|(?<=\p{L})-(?=\p{L})/u).filter(Boolean)) {
    if (PARTICLES.has(token.toLowerCase())) {
      particles.push(token);
      continue;
    }
    if ([...token].filter((c) => /\p{L}/u.test(c)).length >= 2) {
      if (particles.length === 0) patterns.push(wordPattern(token));
      else
        patterns.push(
          `${particles.map((p) => wordPattern(p)).join('\\s+')}\\s+${wordPattern(token)}`,
          wordPattern(token, true),
        );
    }
    particles = [];
  }
  return patterns;
}

const cache = new Map<string, RegExp | null>();

/** The participant's names as one pattern, or null when they give none; at most CACHE_SIZE kept, oldest dropped first. */
export function nameMatcher(names: readonly string[]): RegExp | null {
  const key = names.join('\u0000');
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const patterns = [...new Set(names.flatMap(namePatterns))].sort((a, b) => b.length - a.length);
  const matcher = patterns.length ? new RegExp(`${NOT_IN_WORD}(?:${patterns.join('|')})${END_OF_WORD}`, 'gu') : null;
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, matcher);
  return matcher;
}

export function findNames(text: string, matcher: RegExp | null): Span<'name'>[] {
  if (!matcher) return [];
  return [...text.matchAll(matcher)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    kind: 'name' as const,
  }));
}
