import { expect, test } from '@jest/globals';
import { phaseCore } from '../../scripts/bench/core.js';

/** The core phase walks whole interviews through the engine (it throws when one does not complete) and times them. */

test('two whole interviews: every turn and every card of the replies is counted and timed', () => {
  const result = phaseCore(process.cwd(), 2, 1);
  expect(result.interviews).toBe(2);
  // A whole interview is about 19 turns (start, welcome, consent, questions, pick, place, review, follow-ups).
  expect(result.turns).toBeGreaterThan(2 * 15);
  // Each pressed card comes back as a summary beside the next card.
  expect(result.cards).toBeGreaterThan(result.turns);
  expect(result.handleTurnUsPerTurn).toBeGreaterThan(0);
  expect(result.cardExpandUsPerCard).toBeGreaterThan(0);
});
