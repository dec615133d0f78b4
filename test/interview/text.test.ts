import { expect, test } from '@jest/globals';
import { localize } from '../../src/interview/text.js';

/** Guide texts: the participant's language, with {{step.field}} placeholders filled where a value is known. */

const TEXT = { nl: 'Je werkt als {{werk.rol}} bij {{werk.plek}}.', en: 'You work as {{werk.rol}} at {{werk.plek}}.' };

test('placeholders are filled in the chosen language; an unknown one stays visible', () => {
  expect(localize(TEXT, 'nl', { 'werk.rol': 'jongerenwerker' })).toBe('Je werkt als jongerenwerker bij {{werk.plek}}.');
  expect(localize(TEXT, 'en', { 'werk.rol': 'youth worker', 'werk.plek': 3 })).toBe('You work as youth worker at 3.');
});

test('a text without placeholders comes back as it is, single braces included', () => {
  expect(localize({ nl: 'Samenwerken {met} anderen', en: 'Working with others' }, 'nl', { met: 'x' })).toBe(
    'Samenwerken {met} anderen',
  );
  expect(localize({ nl: '', en: '' }, 'en')).toBe('');
});
