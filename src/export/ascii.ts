/** Characters that do not decompose to ASCII. */
const SPECIAL: Record<string, string> = {
  '‘': "'",
  '’': "'",
  '‚': "'",
  '‛': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '‟': '"',
  '–': '-',
  '—': '-',
  '‐': '-',
  '‑': '-',
  '−': '-',
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  '€': 'EUR',
};

/**
 * PQMethod is a DOS program: its files are read as single bytes. Diacritics are dropped (Efficiënt → Efficient),
 * typographic quotes and dashes become their ASCII forms, white space collapses, anything else becomes "?".
 */
export function toAscii(text: string): string {
  return [...text.normalize('NFKD')]
    .map((ch) => SPECIAL[ch] ?? ch)
    .join('')
    .replace(/\p{M}/gu, '')
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();
}

/**
 * A line for a .DAT title or a .STA statement: ASCII, no double quote (qmethod reads the .DAT with read.delim,
 * where one would open a quoted field across lines), cut at a word to at most `max` characters, "..." marking a cut.
 */
export function pqLine(text: string, max: number): string {
  const line = toAscii(text).replace(/"/g, "'");
  if (line.length <= max) return line;
  const room = line.slice(0, max - 3);
  const space = room.lastIndexOf(' ');
  return (space > max / 2 ? room.slice(0, space) : room).trimEnd() + '...';
}
