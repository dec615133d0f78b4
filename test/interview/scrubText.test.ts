import { expect, test } from '@jest/globals';
import fc from 'fast-check';
import { normalise, PLAIN, render, toOriginal } from '../../src/interview/scrubText.js';

/** The text the scrubber's patterns read, and the way back to the typed text. */

const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;

test('a plain character is its own cluster, visible, and left alone by NFKC', () => {
  for (let code = 0; code <= 0xffff; code++) {
    const char = String.fromCharCode(code);
    if (!PLAIN.test(char)) continue;
    expect({ char, nfkc: char.normalize('NFKC'), mark: /\p{M}/u.test(char), invisible: INVISIBLE.test(char) }).toEqual({
      char,
      nfkc: char,
      mark: false,
      invisible: false,
    });
  }
});

test('plain text is read as it was typed, the same as where a character needs normalising', () => {
  const plainChar = fc.constantFrom(...'aZ09 .,;:@-_()[]\'"\n\téëÀÿ–—‘’“”');
  fc.assert(
    fc.property(fc.array(plainChar, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 8 }), (chars, cuts) => {
      const typed = chars.join('');
      // A non-breaking space after it takes the general way: NFKC makes it a space.
      const general = normalise(`${typed}\u00A0`);
      const plain = normalise(typed);
      expect(plain.text).toBe(typed);
      expect(general.text).toBe(`${typed} `);
      // Sorted, non-overlapping spans inside the typed text, as the scrubber hands them to render.
      const points = [...new Set(cuts.map((cut) => cut % (typed.length + 1)))].sort((x, y) => x - y);
      const spans = [];
      for (let i = 0; i + 1 < points.length; i += 2)
        spans.push({ start: points[i] ?? 0, end: points[i + 1] ?? 0, kind: `k${i}` });
      for (const span of spans) expect(toOriginal(plain, span)).toEqual(toOriginal(general, span));
      const marker = (kind: string) => `[${kind}]`;
      expect(`${render(plain, spans, marker)}\u00A0`).toBe(render(general, spans, marker));
    }),
  );
});

test('the typed text comes back with a span replaced and invisible characters left out', () => {
  const typed = 'Bel 06\u200B12345678 of mail';
  const n = normalise(typed);
  expect(n.text).toBe('Bel 0612345678 of mail');
  expect(render(n, [{ start: 4, end: 15, kind: 'phone' }], () => '[telefoon]')).toBe('Bel [telefoon] of mail');
});
