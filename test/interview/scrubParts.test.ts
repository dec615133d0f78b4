import { findIdentifiers } from '../../src/interview/scrub.js';
import { nameMatcher } from '../../src/interview/scrubNames.js';

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
