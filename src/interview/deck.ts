import type { Competency, Deck, Round } from '../content/schema.js';

export interface DeckCard extends Competency {
  clusterId: string;
  clusterName: Competency['name'];
}

const flattened = new WeakMap<Deck, DeckCard[]>();

/** The deck's competencies in deck order, each with its cluster; decks never change while the bot runs. */
export function cardsOf(deck: Deck): DeckCard[] {
  let cards = flattened.get(deck);
  if (!cards) {
    cards = deck.clusters.flatMap((cluster) =>
      cluster.competencies.map((c) => ({ ...c, clusterId: cluster.id, clusterName: cluster.name })),
    );
    flattened.set(deck, cards);
  }
  return cards;
}

export function minCardsOf(deck: Deck, round: Round): number {
  return round.minCards ?? deck.minCards;
}
