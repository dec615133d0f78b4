import type { Competency, Deck, Round } from '../content/schema.js';

export interface DeckCard extends Competency {
  clusterId: string;
  clusterName: Competency['name'];
}

/** The deck's competencies in deck order, each with its cluster. */
export function cardsOf(deck: Deck): DeckCard[] {
  return deck.clusters.flatMap((cluster) => cluster.competencies.map((c) => ({ ...c, clusterId: cluster.id, clusterName: cluster.name })));
}

export function minCardsOf(deck: Deck, round: Round): number {
  return round.minCards ?? deck.minCards;
}
