import { loadContent } from '../../src/content/load.js';
import { buildDigest, type Digest } from '../../src/digest/aggregate.js';
import type { Round } from '../../src/content/schema.js';
import type { Answers, InterviewRecord } from '../../src/interview/types.js';
import { defined } from '../support/defined.js';

export const content = loadContent();
export const baseRound = content.rounds.get('default')!;
export const guide = content.guides.get(baseRound.guide)!;
export const deck = content.decks.get(baseRound.deck)!;

export function roundWith(change: Partial<Round> = {}): Round {
  return { ...baseRound, status: 'open', openedAt: '2026-11-01T08:00:00.000Z', ...change };
}

export interface Spec {
  quote: boolean;
  placement: Record<string, number>;
  /** Follow-up ratings (teamAttention) per competency; the column is taken from the placement. */
  ratings?: Record<string, number | null>;
  answers?: Record<string, Answers>;
  completed?: boolean;
}

export function record(code: string, spec: Spec): InterviewRecord {
  return {
    roundId: 'default',
    code,
    guide: { id: guide.id, version: guide.version },
    deckId: deck.id,
    rev: 5,
    consent: { participate: true, quote: spec.quote, at: '2026-11-20T09:00:00.000Z' },
    answers: spec.answers ?? {},
    selection: Object.keys(spec.placement),
    placement: spec.placement,
    followUps: Object.fromEntries(
      Object.entries(spec.ratings ?? {}).map(([id, rating]) => [
        id,
        {
          column: defined(spec.placement[id], `the column of rated ${id}`),
          answers: {
            why: 'Omdat het bij mijn werk hoort.',
            useNow: null,
            bond: null,
            teamAttention: rating,
            teamAttentionWhy: null,
          },
        },
      ]),
    ),
    nudges: { noLowest: false, topHeavy: false },
    position: spec.completed === false ? { step: 'place', index: 0 } : { step: 'closing', index: 0 },
    stepTimes: {},
    startedAt: '2026-11-20T09:00:00.000Z',
    completedAt: spec.completed === false ? null : '2026-11-20T10:00:00.000Z',
    lastSubmit: null,
  };
}

export const LONG_NEED =
  "Ik heb vooral behoefte aan scholing over veiligheid in gezinnen waar veel speelt. Daarnaast wil ik leren hoe ik beter samenwerk met de specialistische jeugdhulp en het onderwijs. Ook zou ik graag meer weten over de nieuwe werkwijze rond de meldcode en over het inschatten van risico's bij jonge kinderen. Tot slot mis ik tijd om te reflecteren met collega's uit andere wijken, want dat schiet er nu vaak bij in.";

/**
 * Six completed interviews and one stopped halfway, over a slice of the real deck (cluster 1, cluster 2 and
 * "reflecteren"). Every expected number in the tests is worked out by hand from these placements.
 */
export const SPECS: Record<string, Spec> = {
  A: {
    quote: true,
    placement: { analyseren: 3, signaleren: 2, stimuleren: -1, aansluiten: 1, empathie: -3 },
    ratings: { analyseren: 7, empathie: 4 },
    answers: {
      organisation: {
        academy: 'De WIJ Academie biedt veel aan, maar weinig specifiek voor jeugd. Ik mis verdieping in veiligheid.',
      },
      training: {
        need: 'Meer scholing over gesprekken met ouders die niet willen meewerken.',
        form: 'Korte sessies in het team.',
      },
    },
  },
  B: {
    quote: true,
    placement: { analyseren: 3, 'samen-doen': 0, signaleren: 3, empathie: -2, 'respect-hebben': 2 },
    ratings: { analyseren: 8, signaleren: 6 },
    answers: {
      organisation: { academy: 'Bij mevrouw Jansen merkte ik dat ik te weinig wist van de meldcode.' },
      training: { need: 'Bel me op 06-12345678 voor meer uitleg over wat ik nodig heb.', form: 'Nee.' },
    },
  },
  C: {
    quote: false,
    placement: { analyseren: 2, 'normen-stellen': -3, signaleren: 1, empathie: 3, 'respect-hebben': 3 },
    ratings: { 'normen-stellen': null, empathie: 5, 'respect-hebben': 9 },
    answers: {
      organisation: { academy: 'GEEN-TOESTEMMING: ik vind de trainingen van de Academie heel goed en praktisch.' },
    },
  },
  D: {
    quote: true,
    placement: { analyseren: 1, 'samen-doen': 1, stimuleren: -2, aansluiten: 0, 'respect-hebben': 3 },
    ratings: { 'respect-hebben': 8 },
    answers: {
      organisation: { academy: 'Ik heb met Pieter besproken dat we meer intervisie willen.' },
      training: {
        need: LONG_NEED,
        form: 'Liever een vaste coach dan een losse training. Dat werkt voor mij het beste.',
      },
    },
  },
  E: {
    quote: true,
    placement: { 'normen-stellen': -1, signaleren: 3, stimuleren: 2, empathie: -3, reflecteren: 0 },
    ratings: { signaleren: 5, empathie: 3 },
    answers: {
      organisation: {
        academy: 'Er is aandacht voor competenties, maar de cliënt Ahmed liet zien dat het niet genoeg is.',
      },
      training: { need: 'Behoefte aan training in motiverende gespreksvoering, vooral bij jongeren.' },
    },
  },
  F: {
    quote: true,
    placement: { analyseren: 3, 'samen-doen': -1, aansluiten: 2, 'respect-hebben': 1, reflecteren: 2 },
    ratings: { analyseren: 6 },
    answers: {
      organisation: { academy: 'Ik weet eigenlijk niet goed wat de Academie allemaal aanbiedt.' },
      training: { need: null, form: '' },
    },
  },
  G: {
    quote: true,
    completed: false,
    placement: { analyseren: -3, signaleren: -3 },
    ratings: { analyseren: 1 },
    answers: { organisation: { academy: 'ONVOLTOOID citaat dat nooit in de samenvatting mag verschijnen.' } },
  },
};

export const interviews = Object.entries(SPECS).map(([code, spec]) => record(code, spec));
export const NOW = new Date('2026-12-07T08:00:00.000Z');

/** The digest before the one under test, as the last one sent left it. */
export const PREVIOUS = { at: '2026-11-30T08:00:00.000Z', invited: 3, completed: 2, inProgress: 2, details: 0 };

/** The digest of these interviews (of eight invited) in the default round, with another k or locale when asked. */
export function digestOf(
  list: InterviewRecord[] = interviews,
  change: { k?: number; locale?: 'nl' | 'en' } = {},
): Digest {
  const round = roundWith(change.k ? { digest: { ...baseRound.digest, k: change.k } } : {});
  return buildDigest({
    round,
    guide,
    deck,
    interviews: list,
    invited: 8,
    previous: PREVIOUS,
    locale: change.locale,
    now: NOW,
  });
}
