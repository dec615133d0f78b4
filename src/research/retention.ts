import { addMonths } from 'date-fns/addMonths';
import type { Round } from '../content/schema.js';
import { finishAllWithdrawals } from '../interview/withdrawal.js';
import { log } from '../log.js';
import type { Stores } from '../ports/stores.js';

/** The moment a closed round's keys are due for destruction. */
export function keysExpireAt(round: Round): Date | null {
  return round.status === 'closed' && round.closedAt
    ? addMonths(new Date(round.closedAt), round.retentionMonths)
    : null;
}

/** True once a round's keys are (due to be) destroyed: nothing may be queued or recreated for it any more. */
export function keysGone(round: Round, now: Date): boolean {
  const at = keysExpireAt(round);
  return Boolean(round.keysDestroyedAt) || (at !== null && at <= now);
}

/**
 * After the retention period told at consent, the key store entries of a closed round are destroyed: nobody can
 * then be linked to a letter code, and the round's data is anonymous. The answers, the counts and the letter-to-
 * number tokens (which name no person) stay. Returns the rounds it destroyed keys for.
 *
 * Each step is harmless to repeat, and the digest channels go first: a process that stops half-way leaves nothing
 * that could send the round's final digest again (the outbox jobs that recorded it as sent go in the same pass).
 */
export async function destroyExpiredKeys(stores: Stores, now: Date): Promise<string[]> {
  const done: string[] = [];
  for (const round of await stores.answers.listRounds()) {
    if (!keysGone(round, now) || round.keysDestroyedAt) continue;
    // Best effort: a round whose keys are gone gets no digest anyway (keysGone), so a failing channel list must not
    // keep its keys alive; the next pass removes the channels.
    await stores.keys
      .removeDigestChannels(round.id)
      .catch((err: unknown) => log.error('retention.channels.failed', err));
    for (const { pseudonym } of await stores.keys.participants(round.id)) await stores.keys.unlink(pseudonym, round.id);
    await stores.outbox.removeRound(round.id);
    await stores.answers.saveRound({ ...round, keysDestroyedAt: now.toISOString() });
    done.push(round.id);
  }
  return done;
}

/**
 * The key store's clean-up, at start-up and on the scheduler: retention; and, when `sweep` (at start-up and hourly:
 * both read every participant's keys), the withdrawals a crash interrupted and the chat targets nothing needs.
 * An interrupted withdrawal is completed sooner when the participant writes again.
 */
export async function keyHousekeeping(stores: Stores, now: Date, sweep = true): Promise<void> {
  const destroyed = await destroyExpiredKeys(stores, now);
  if (destroyed.length) log.info('retention.keys.destroyed', { rounds: destroyed.length });
  if (!sweep && !destroyed.length) return;
  const withdrawals = await finishAllWithdrawals(stores);
  if (withdrawals) log.info('withdrawal.completed', { interrupted: withdrawals });
  const purged = await stores.keys.purgeOrphanTargets();
  if (purged) log.info('targets.purged', { count: purged });
}
