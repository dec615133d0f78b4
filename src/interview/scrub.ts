/** Markers that replace what was removed; they say what kind of thing stood there, never what it was. */
export const MARKERS = { email: '[e-mail]', phone: '[telefoon]', postcode: '[postcode]', bsn: '[bsn]', name: '[naam]' } as const;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// Dutch numbers: 06-12345678, 06 1234 5678, +31 6 12345678, 0031..., 050-1234567; separators space, dash, dot.
const PHONE = /(?<![\p{N}])(?:(?:\+|00)31[\s.-]?(?:\(0\))?[\s.-]?|0)(?:[\s.-]?\d){9}(?![\p{N}])/gu;
const POSTCODE = /\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Za-z]{2}\b/g;
const NINE_DIGITS = /(?<![\p{N}])(\d[\s.]?){8}\d(?![\p{N}])/gu;

/** The Dutch BSN 11-test (elfproef): 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a multiple of 11, and not 0. */
export function passesElfproef(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(digits[i]);
  sum -= Number(digits[8]);
  return sum !== 0 && sum % 11 === 0;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Parts of a display name long enough to be a name rather than a particle ("de", "van"). */
function nameParts(name: string | undefined): string[] {
  if (!name) return [];
  const particles = new Set(['van', 'der', 'den', 'de', 'het', 'ter', 'ten', 'la', 'le', 'du', 'op']);
  return name.split(/[\s,()]+/).filter((p) => p.length >= 2 && !particles.has(p.toLowerCase()));
}

/**
 * Removes from a free-text answer what could identify someone: e-mail addresses, phone numbers, postcodes,
 * numbers that pass the BSN 11-test, and the participant's own name.
 */
export function scrub(text: string, participantName?: string): string {
  let out = text.replace(EMAIL, MARKERS.email).replace(PHONE, MARKERS.phone).replace(POSTCODE, MARKERS.postcode);
  out = out.replace(NINE_DIGITS, (match) => (passesElfproef(match.replace(/[\s.]/g, '')) ? MARKERS.bsn : match));
  for (const part of nameParts(participantName)) {
    out = out.replace(new RegExp(`(?<![\\p{L}])${escapeRegExp(part)}(?![\\p{L}])`, 'giu'), MARKERS.name);
  }
  return out;
}
