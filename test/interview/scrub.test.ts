import { MARKERS, passesElfproef, scrub } from '../../src/interview/scrub.js';

test('e-mail addresses are removed', () => {
  expect(scrub('Mail me op j.de.vries@wij.groningen.nl graag')).toBe(`Mail me op ${MARKERS.email} graag`);
});

test.each([
  '06-12345678', '06 1234 5678', '0612345678', '+31 6 12345678', '+31612345678', '0031 6 1234 5678', '050-3678901',
])('phone number %s is removed', (phone) => {
  expect(scrub(`Bel ${phone} even.`)).toBe(`Bel ${MARKERS.phone} even.`);
});

test('Dutch postcodes are removed, with or without space', () => {
  expect(scrub('Ze woont op 9712 AB en later 9723CD')).toBe(`Ze woont op ${MARKERS.postcode} en later ${MARKERS.postcode}`);
});

test('the BSN 11-test', () => {
  expect(passesElfproef('111222333')).toBe(true);
  expect(passesElfproef('123456782')).toBe(true);
  expect(passesElfproef('123456789')).toBe(false);
  expect(passesElfproef('000000000')).toBe(false);
});

test('nine-digit numbers are removed only when they pass the 11-test', () => {
  expect(scrub('BSN 111222333 en 123456789')).toBe(`BSN ${MARKERS.bsn} en 123456789`);
  expect(scrub('BSN 1112.22.333')).toBe(`BSN ${MARKERS.bsn}`);
});

test("the participant's own name is removed, case-insensitively, but not inside other words", () => {
  expect(scrub('Ik ben Alex Wilber, alex voor vrienden. Alexandra is mijn collega.', 'Alex Wilber')).toBe(
    `Ik ben ${MARKERS.name} ${MARKERS.name}, ${MARKERS.name} voor vrienden. Alexandra is mijn collega.`,
  );
});

test('name particles are not treated as names', () => {
  expect(scrub('de jongere van het gezin', 'Jan van der Berg')).toBe('de jongere van het gezin');
});

test('ordinary answers pass unchanged', () => {
  const text = 'In 2024 had ik 12 gezinnen en 3 collega’s; score 8 van 10.';
  expect(scrub(text, 'Alex Wilber')).toBe(text);
});
