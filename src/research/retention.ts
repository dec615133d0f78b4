import { addMonths } from 'date-fns';
import type { Round } from '../content/schema.js';
import type { Stores } from '../storage/ports.js';

/** The moment a closed round's keys are due for destruction. */
export function keysExpireAt(round: Round): Date | null {
  return round.status === 'closed' && round.closedAt ? addMonths(new Date(round.closedAt), round.retentionMonths) : null;
}

/**
 * After the retention period told at consent, the key store entries of a closed round are destroyed: nobody can
 * then be linked to a letter code, and the round's data is anonymous. The answers, the counts and the letter-to-
 * number tokens (which name no person) stay. Returns the rounds it destroyed keys for.
 */
export async function destroyExpiredKeys(stores: Stores, now: Date): Promise<string[]> {
  const done: string[] = [];
  for (const round of await stores.answers.listRounds()) {
    const at = keysExpireAt(round);
    if (!at || at > now || round.keysDestroyedAt) continue;
    for (const { pseudonym } of await stores.keys.participants(round.id)) await stores.keys.unlink(pseudonym, round.id);
    await stores.outbox.removeRound(round.id);
    await stores.answers.saveRound({ ...round, keysDestroyedAt: now.toISOString() });
    done.push(round.id);
  }
  return done;
}
