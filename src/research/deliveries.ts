import type { OutboxJob } from '../ports/outbox.js';
import type { Stores } from '../ports/stores.js';

/**
 * What a delivered job changes in the key store: an invitation records when it went out, and a chat Teams created
 * for the send is kept as the participant's target. The outbox retries it when it fails.
 */
export async function recordDelivery(
  stores: Stores,
  job: OutboxJob,
  conversationId: string | undefined,
): Promise<void> {
  // A digest was recorded in the round's digest log when it was built (src/digest/composer.ts).
  if (job.kind === 'digest') return;
  // A withdrawal during the send removed the job: its bookkeeping must not recreate a key entry or a target.
  if (!(await stores.outbox.get(job.id))) return;
  const newChat = conversationId && conversationId !== job.target.conversationId;
  const target = newChat ? { ...job.target, conversationId } : undefined;
  if (job.kind === 'invite') {
    const invitedAt = new Date().toISOString();
    // The new chat goes with the entry, in one write.
    await stores.keys.update(
      job.pseudonym,
      job.roundId,
      (entry) => ({ ...entry, invitedAt: entry?.invitedAt ?? invitedAt }),
      target,
    );
  } else if (target) {
    await stores.keys.saveTarget(job.pseudonym, target);
  }
}
