import { CardTemplates } from '../../src/teams/cardTemplates.js';
import { content } from '../support/context.js';
import { wholeInterview } from '../support/wholeInterview.js';
import { at } from '../support/defined.js';

const templates = new CardTemplates();
const round = content.rounds.get('default')!;

test.each(['nl', 'en'] as const)(
  'every card of a whole interview names its round, and the contact is in the invitation, consent and closing card (%s)',
  (locale) => {
    const { cards, summaries } = wholeInterview(locale, round.deck);
    const shown = [...cards, ...summaries].map((view) => ({
      template: view.template,
      json: JSON.stringify(templates.render(view).content),
    }));
    expect(shown.filter((card) => !card.json.includes(round.name[locale])).map((card) => card.template)).toEqual([]);
    const withContact = shown
      .filter((card) => card.json.includes(`mailto:${round.contact!.email}`))
      .map((card) => card.json);
    expect(withContact).toHaveLength(3);
    expect(withContact[0]).toMatch(locale === 'nl' ? /Uitnodiging: Open pilotronde/ : /Invitation: Open pilot round/);
    expect(withContact[1]).toMatch(/"id":"quote"/);
    expect(withContact[2]).toMatch(locale === 'nl' ? /Bedankt!/ : /Thank you!/);
    expect(at(shown, 0, 'shown card').json).not.toMatch(/Fijn dat je meedoet|Great that you/);
  },
);
