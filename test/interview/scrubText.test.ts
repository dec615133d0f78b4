import { expect, test } from '@jest/globals';
import fc from 'fast-check';
import { normalise, PLAIN, render } from '../../src/interview/scrubText.js';

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
    fc.property(fc.array(plainChar, { maxLength: 60 }), (chars) => {
      const typed = chars.join('');
      // A non-breaking space after it takes the general way: NFKC makes it a space.
      const general = normalise(`${typed}\u00A0`);
      const plain = normalise(typed);
      expect(plain.text).toBe(typed);
      expect(general.text).toBe(`${typed} `);
      expect(plain.clusters).toEqual(general.clusters.slice(0, -1));
      expect(plain.clusterOf).toEqual(general.clusterOf.slice(0, -1));
    }),
  );
});

test('the typed text comes back with a span replaced and invisible characters left out', () => {
  const typed = 'Bel 06\u200B12345678 of mail';
  const n = normalise(typed);
  expect(n.text).toBe('Bel 0612345678 of mail');
  expect(render(n, [{ start: 4, end: 15, kind: 'phone' }], () => '[telefoon]')).toBe('Bel [telefoon] of mail');
});
