import { expect, test } from '@jest/globals';
import type { Reply } from '../../src/interview/types.js';
import { CardTemplates, type AnyCardView } from '../../src/teams/cardTemplates.js';
import { toActivity, toCardTurnActivities } from '../../src/teams/replies.js';

const cards = new CardTemplates();
const summary: Reply<AnyCardView> = {
  kind: 'card',
  card: { template: 'summary', data: { round: 'Ronde', title: 'Titel', lines: [], status: 'Opgeslagen' } },
};
const text = (value: string): Reply<AnyCardView> => ({ kind: 'text', text: value });

test('the texts before a card go out in the card message, above it: one message instead of several', () => {
  const activities = toCardTurnActivities(cards, [text('Deze kaart is verouderd.'), text('Nog iets.'), summary]);
  expect(activities).toEqual([
    { ...toActivity(cards, summary), text: 'Deze kaart is verouderd.\n\nNog iets.', textFormat: 'markdown' },
  ]);
});

test('a card alone, texts after the last card and several cards stay as toActivity makes them', () => {
  expect(toCardTurnActivities(cards, [summary])).toEqual([toActivity(cards, summary)]);
  expect(toCardTurnActivities(cards, [summary, text('Daarna.'), text('En nog.')])).toEqual([
    toActivity(cards, summary),
    toActivity(cards, text('Daarna.')),
    toActivity(cards, text('En nog.')),
  ]);
  expect(toCardTurnActivities(cards, [text('Eerst.'), summary, summary])).toEqual([
    { ...toActivity(cards, summary), text: 'Eerst.', textFormat: 'markdown' },
    toActivity(cards, summary),
  ]);
  expect(toCardTurnActivities(cards, [])).toEqual([]);
});
