import { allowedWordsOf, mayNameSomeone } from '../../src/interview/nameGuard.js';
import { quoteOf, shortenQuote } from '../../src/digest/quotes.js';
import { deck, guide, roundWith } from './fixtures.js';

const round = roundWith();

describe('quote scrubbing', () => {
  const allowed = allowedWordsOf(guide, deck, round);
  test.each([
    'Ik sprak mevrouw Jansen over de training.',
    'Mevrouw Jansen vond de training goed.',
    'Met meneer De Vries ging het mis bij de overdracht.',
    'Bij de familie van der Berg zag ik hoe belangrijk dit is.',
    'Mijn collega Petra heeft daar veel over geleerd.',
    'De jongen Kevin liet zien dat ik moest leren doorvragen.',
    'Het gesprek met mw. Bakker leerde mij veel.',
    'Volgens J. de Boer is dit een bekend probleem.',
    'Ik heb dat met Sanne besproken in het team.',
    'Bel me op 06-12345678 als je meer wilt weten.',
    'Mail naar iemand@voorbeeld.nl voor de uitnodiging.',
    'Het ging om dossier 2024-88123 bij ons in het team.',
    'Zie https://voorbeeld.nl/profiel voor wat ik bedoel.',
    'Een gezin in 9731 AB had hier veel last van.',
  ])('dropped: %s', (text) => {
    expect(quoteOf(text, allowed)).toBeNull();
  });

  test.each([
    'Meer intervisie met collega jeugdgeneralisten uit andere teams zou helpen.',
    'De WIJ Academie kan meer doen voor jeugd, bijvoorbeeld over Veilig Thuis en de meldcode.',
    'Ik wil graag leren hoe ik Signaleren en Analyseren beter combineer.',
    'Trainingen in de wijk. Liever op dinsdag dan op vrijdag.',
  ])('kept: %s', (text) => {
    expect(quoteOf(text, allowed)).toBe(text);
  });

  test('a name cue alone (without a capitalised name) is fine; a sentence start is not a name', () => {
    expect(mayNameSomeone('De moeder van het kind wilde meer hulp.', allowed)).toBe(false);
    expect(mayNameSomeone('Goed. Daarna ging het beter met de collega.', allowed)).toBe(false);
    expect(mayNameSomeone('Het ging goed met collega. Daarna niet meer.', allowed)).toBe(false);
  });

  test('shortening: whole sentences within 280 characters, else cut at a word', () => {
    expect(shortenQuote('Kort.  En\nklaar. ')).toBe('Kort. En klaar.');
    const long = `${'woord '.repeat(80)}einde`;
    const cut = shortenQuote(long);
    expect(cut.length).toBeLessThanOrEqual(280);
    expect(cut.endsWith('woord…')).toBe(true);
  });
});
