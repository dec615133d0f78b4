import { createRecord } from '../../src/interview/engine.js';
import type { Stores } from '../../src/ports/stores.js';
import { contextFor } from './context.js';

/** Completed interviews in the pilot round, each placing 12 cards in a different pattern: enough to export and analyse. */
export async function completeInterviews(stores: Stores, count: number, roundId = 'default'): Promise<void> {
  const ctx = contextFor();
  const ids = ctx.deck.clusters.flatMap((c) => c.competencies.map((k) => k.id));
  for (let i = 0; i < count; i++) {
    const created = await stores.answers.createInterview(roundId, (code) => createRecord(ctx, code, true, null));
    const placement = Object.fromEntries(ids.slice(i, i + 12).map((id, s) => [id, ((s + i) % 7) - 3]));
    await stores.answers.saveInterview(
      {
        ...created,
        rev: created.rev + 1,
        selection: Object.keys(placement),
        placement,
        completedAt: '2026-11-25T11:00:00.000Z',
      },
      created.rev,
    );
  }
}
