import type { Content } from '../content/load.js';
import type { AnswerStore } from '../ports/stores.js';

/**
 * Rounds defined in content files (dialogs/rounds) are written to the store at start-up: their definition comes
 * from the file, while what happened to them (status changes, opening and closing times) stays as stored (a restart must not forget that a round's keys were destroyed).
 * `localOnly` rounds (the open pilot round) are seeded for a local run only, so that a deployment never collects
 * stray pilot interviews; the tests and `npm run playground` run locally.
 */
export async function seedRounds(
  content: Content,
  answers: AnswerStore,
  now: Date,
  { local }: { local: boolean } = { local: true },
): Promise<void> {
  for (const round of content.rounds.values()) {
    if (round.localOnly && !local) continue;
    const stored = await answers.getRound(round.id);
    const lifecycle = stored
      ? {
          status: stored.status,
          openedAt: stored.openedAt,
          closedAt: stored.closedAt,
          keysDestroyedAt: stored.keysDestroyedAt,
        }
      : {
          status: round.status,
          openedAt: round.openedAt ?? (round.status === 'open' ? now.toISOString() : null),
          closedAt: round.closedAt,
          keysDestroyedAt: round.keysDestroyedAt,
        };
    await answers.saveRound({ ...round, ...lifecycle });
  }
}
