import { describe, expect, test } from '@jest/globals';
import { allowedWordsOf, mayNameSomeone } from '../../src/interview/nameGuard.js';
import { deck, guide, roundWith } from '../digest/fixtures.js';
import { at } from '../support/defined.js';

const allowed = allowedWordsOf(guide, deck, roundWith());

describe('whether a text may name someone', () => {
  test.each([
    'Ik sprak mevrouw Jansen over de training.',
    'Met meneer De Vries ging het mis bij de overdracht.',
    'Bij de familie van der Berg zag ik hoe belangrijk dit is.',
    'Mijn collega Petra heeft daar veel over geleerd.',
    'Het gesprek met mw. Bakker leerde mij veel.',
    'Volgens J. de Boer is dit een bekend probleem.',
    'Ik heb dat met Sanne besproken in het team.',
  ])('may name someone: %s', (text) => {
    expect(mayNameSomeone(text, allowed)).toBe(true);
  });

  test.each([
    'De moeder van het kind wilde meer hulp.',
    'Goed. Daarna ging het beter met de collega.',
    'Het ging goed met collega. Daarna niet meer.',
    'De WIJ Academie kan meer doen voor jeugd, bijvoorbeeld over Veilig Thuis en de meldcode.',
  ])('a cue without a name, a sentence start or a known word is no name: %s', (text) => {
    expect(mayNameSomeone(text, allowed)).toBe(false);
  });

  test("the deck's, guide's and round's own words are allowed", () => {
    const competency = at(at(deck.clusters, 0).competencies, 0).name.nl;
    for (const word of competency.split(/\s+/)) expect(allowed.has(word.toLowerCase())).toBe(true);
  });
});
