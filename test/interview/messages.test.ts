import { expect, test } from '@jest/globals';
import { fill, localeOf, participantText } from '../../src/interview/messages.js';

/** The bot's own texts: Dutch by default, English for an English locale, {name} placeholders filled. */

test('placeholders are filled; a missing value leaves its placeholder visible', () => {
  expect(fill('Ronde {round} sluit op {deadline}.', { round: 'Voorjaar', deadline: 3 })).toBe(
    'Ronde Voorjaar sluit op 3.',
  );
  expect(fill('Ronde {round} sluit op {deadline}.', { round: 'Voorjaar' })).toBe('Ronde Voorjaar sluit op {deadline}.');
  expect(fill('Geen plaatshouder hier.', { round: 'x' })).toBe('Geen plaatshouder hier.');
});

test('each text in the participant’s language, filled', () => {
  expect(localeOf('en-US')).toBe('en');
  expect(localeOf('nl-BE')).toBe('nl');
  expect(localeOf(undefined)).toBe('nl');
  expect(participantText('nl', 'saved')).not.toBe(participantText('en', 'saved'));
  expect(participantText('en', 'withdrawnFrom', { rounds: 'Spring' })).toContain('Spring');
  expect(participantText('nl', 'withdrawnFrom', { rounds: 'Voorjaar' })).toContain('Voorjaar');
});
