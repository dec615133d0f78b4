import { cardsOf } from '../../src/interview/deck.js';
import { CardTemplates } from '../../src/teams/cardTemplates.js';
import type { CardView, Locale } from '../../src/interview/types.js';
import { contextFor } from '../support/context.js';
import { EngineDriver } from '../support/engineDriver.js';

/** Teams refuses large messages; older clients and connectors at about 28 KB. Every card must stay below that. */
const LIMIT = 28 * 1024;
const templates = new CardTemplates();

function everyCard(locale: Locale, deck: string): CardView[] {
  const driver = new EngineDriver(contextFor({ locale, deck }));
  const seen: CardView[] = [];
  const see = () => seen.push(driver.card());
  driver.turn({ kind: 'start' }); see();
  driver.press('next'); see();
  driver.press('consentYes'); see();
  /** The longest allowed answer to every text question of the card shown. */
  const longest = () => Object.fromEntries((driver.card().data.questions as { id: string; isText: boolean; maxLength: number }[])
    .filter((q) => q.isText).map((q) => [q.id, 'x'.repeat(q.maxLength)]));
  const answerLongest = () => {
    const before = driver.record.rev;
    driver.press('next', longest()); see();
    if (driver.record.rev === before) throw new Error(`the card was refused: ${driver.texts().join(' ')}`);
  };
  while (driver.card().template === 'questions') answerLongest();
  const ids = cardsOf(driver.ctx.deck).map((c) => c.id);
  driver.press('next', Object.fromEntries(ids.map((id) => [`pick_${id}`, 'true']))); see();
  while (driver.card().template === 'place') {
    driver.press('next', Object.fromEntries((driver.card().data.cards as { id: string }[]).map((c, i) => [c.id, String(i % 2 ? 3 : -3)]))); see();
  }
  driver.press('confirm'); see();
  while (driver.card().template === 'questions') answerLongest();
  return seen;
}

test.each([['nl', 'wij-competenties'], ['en', 'wij-competenties'], ['nl', 'basiscompetenties'], ['en', 'basiscompetenties']] as const)(
  'every card of a whole interview (%s, %s, all cards picked, longest answers) stays under 28 KB and schema 1.5',
  (locale, deck) => {
    const cards = everyCard(locale, deck);
    expect(new Set(cards.map((c) => c.template))).toEqual(new Set(['info', 'consent', 'questions', 'pick', 'place', 'review']));
    for (const view of cards) {
      const content = templates.render(view).content;
      expect(content.version).toBe('1.5');
      expect({ template: view.template, bytes: Buffer.byteLength(JSON.stringify(content)) < LIMIT }).toEqual({ template: view.template, bytes: true });
    }
  },
);
