import type { Round } from '../content/schema.js';
import { keysGone } from './retention.js';
import type { Outbox } from './outbox/outbox.js';
import type { OutboxJob } from '../ports/outbox.js';
import type { Stores } from '../ports/stores.js';
import { dueDigestPeriods } from '../digest/schedule.js';

/**
 * Digests travel through the outbox like invitations: one job per round, period and channel with a deterministic
 * id. The jobs are the record of what was sent, so a restart never sends the same digest twice, and a digest that
 * was due while the bot was down goes out once when it is back.
 */
async function queue(round: Round, periods: string[], stores: Stores, outbox: Outbox, now: Date): Promise<number> {
  const channels = await stores.keys.digestChannels(round.id);
  const at = now.toISOString();
  const jobs: OutboxJob[] = periods.flatMap((period) =>
    channels.map((target, i) => ({
      id: `digest:${round.id}:${period}:${i}`,
      kind: 'digest' as const,
      roundId: round.id,
      pseudonym: '',
      target,
      period,
      status: 'pending' as const,
      attempts: 0,
      notBefore: at,
      createdAt: at,
    })),
  );
  const added = await outbox.enqueue(jobs);
  if (added) outbox.kick();
  return added;
}

/** The periods already queued (sent, or on their way) for a round. */
async function queuedPeriods(roundId: string, stores: Stores): Promise<Set<string>> {
  return new Set(
    (await stores.outbox.list(roundId)).filter((j) => j.kind === 'digest' && j.period).map((j) => j.period!),
  );
}

/** Weekly and final digests that are due, for every round with a registered channel. */
export async function queueDueDigests(stores: Stores, outbox: Outbox, now: Date): Promise<number> {
  let count = 0;
  for (const round of await stores.answers.listRounds()) {
    if (keysGone(round, now) || !(await stores.keys.digestChannels(round.id)).length) continue;
    count += await queue(
      round,
      dueDigestPeriods(round, now, await queuedPeriods(round.id, stores)),
      stores,
      outbox,
      now,
    );
  }
  return count;
}

/** A researcher's "digest now". */
export function queueDigestNow(round: Round, stores: Stores, outbox: Outbox, now: Date): Promise<number> {
  return queue(round, [`manual-${now.getTime()}`], stores, outbox, now);
}
