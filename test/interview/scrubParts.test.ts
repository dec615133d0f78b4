import fc from 'fast-check';
import { findIdentifiers } from '../../src/interview/scrub.js';
import { findAddresses } from '../../src/interview/scrubAddress.js';
import { findEmails, findPhones } from '../../src/interview/scrubContact.js';
import { findDates } from '../../src/interview/scrubDates.js';
import { nameMatcher } from '../../src/interview/scrubNames.js';
import { findBsns, findIbans, findPostcodes } from '../../src/interview/scrubNumbers.js';

test("a participant's name pattern is built once and reused on the next turn", () => {
  const first = nameMatcher(['Anouk van der Meer']);
  expect(nameMatcher(['Anouk van der Meer'])).toBe(first);
  expect(nameMatcher(['Jan de Vries'])).not.toBe(first);
  expect(nameMatcher([])).toBeNull();
});

test('the name cache stays small', () => {
  const first = nameMatcher(['Name Zero']);
  for (let i = 0; i < 300; i++) nameMatcher([`Given${i} Surname${i}`]);
  expect(nameMatcher(['Name Zero'])).not.toBe(first);
});

test('spans are in the typed text, kinds say what stood there', () => {
  const text = 'Bel ０６－１２３４５６７８ of mail jan\u200B@wij.nl';
  const spans = findIdentifiers(text);
  expect(spans.map((s) => [s.kind, text.slice(s.start, s.end)])).toEqual([
    ['phone', '０６－１２３４５６７８'],
    ['email', 'jan\u200B@wij.nl'],
  ]);
});

test('overlapping finds become one, named after the longest', () => {
  const text = 'Kim Visser, kimvisser@hotmail.com, NL91 ABNA 0417 1643 00';
  expect(findIdentifiers(text, 'Kim Visser').map((s) => s.kind)).toEqual(['name', 'name', 'email', 'iban']);
});

test('a name with a digit and a hyphen (a test account, "PG1-Warmup") makes a pattern and is found', () => {
  const matcher = nameMatcher(['Deelnemer PG1-Warmup']);
  expect(matcher).not.toBeNull();
  expect(findIdentifiers('Mijn naam is Deelnemer PG1-Warmup.', 'Deelnemer PG1-Warmup').map((i) => i.kind)).toContain(
    'name',
  );
});

test('without a digit, only e-mail addresses and names can be found (the scrubber skips the other patterns)', () => {
  // Words that the patterns look for, around the places where a digit would be.
  const word = fc.constantFrom(
    ...['Hoofdstraat', 'Baker Street', 'maart', 'NL', 'AB', 'de', '+', '(0)', '-', '/', '.', "'", ' ', '٣', '²', 'x'],
  );
  const finders = [findIbans, findPhones, findBsns, findPostcodes, findDates, findAddresses];
  fc.assert(
    fc.property(fc.array(fc.oneof(word, fc.string()), { maxLength: 20 }), (parts) => {
      const text = parts.join('').replace(/\d/g, '');
      for (const find of finders) expect(find(text)).toEqual([]);
    }),
    { numRuns: 500 },
  );
});

test.each([
  'jan APENSTAARTJE wij PUNT nl',
  'jan { AT } wij.nl',
  'jan<At>wij.nl',
  'jan @ wij.nl',
  'jan AT wij DOT nl',
  'jan at wij [PUNT] nl',
])('an e-mail address with its at sign in any case or bracket is found: %s', (text) => {
  expect(findEmails(text).length).toBeGreaterThan(0);
});
