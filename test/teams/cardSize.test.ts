import { CardTemplates } from '../../src/teams/cardTemplates.js';
import { EVERY_LOCALE_AND_DECK, wholeInterview } from '../support/wholeInterview.js';

/** Teams refuses large messages; older clients and connectors at about 28 KB. Every card must stay below that. */
const LIMIT = 28 * 1024;
const templates = new CardTemplates();

test.each(EVERY_LOCALE_AND_DECK)(
  'every card of a whole interview (%s, %s, all cards picked, longest answers) stays under 28 KB and schema 1.5',
  (locale, deck) => {
    const { cards, summaries } = wholeInterview(locale, deck);
    expect(new Set(cards.map((c) => c.template))).toEqual(
      new Set(['info', 'consent', 'questions', 'pick', 'place', 'review']),
    );
    for (const view of [...cards, ...summaries]) {
      const content = templates.render(view).content;
      expect(content.version).toBe('1.5');
      expect({ template: view.template, bytes: Buffer.byteLength(JSON.stringify(content)) < LIMIT }).toEqual({
        template: view.template,
        bytes: true,
      });
    }
  },
);
