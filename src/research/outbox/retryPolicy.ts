import type { DeliveryResult, OutboxJob } from '../../ports/outbox.js';

export const MAX_ATTEMPTS = 6;
const BASE_MS = 1000;
const CAP_MS = 5 * 60 * 1000;

/** Exponential backoff with full jitter: a random wait up to base * 2^attempt, capped. */
export function backoffMs(attempt: number, random: () => number): number {
  return Math.round(random() * Math.min(CAP_MS, BASE_MS * 2 ** attempt));
}

/** What a delivery result does to the job. */
export function afterDelivery(
  job: OutboxJob,
  result: DeliveryResult,
  now: Date,
  random: () => number,
): Partial<OutboxJob> {
  const attempts = job.attempts + 1;
  const done = now.toISOString();
  switch (result.outcome) {
    case 'sent':
      return {
        status: 'sent',
        attempts,
        doneAt: done,
        target: result.conversationId ? { ...job.target, conversationId: result.conversationId } : job.target,
      };
    case 'unreachable':
      return { status: 'unreachable', attempts, doneAt: done, lastError: result.error };
    case 'failed':
      return { status: 'failed', attempts, doneAt: done, lastError: result.error };
    case 'retry': {
      if (attempts >= MAX_ATTEMPTS)
        return {
          status: 'failed',
          attempts,
          doneAt: done,
          lastError: `gave up after ${attempts} attempts: ${result.error}`,
        };
      const wait = result.retryAfterMs ?? backoffMs(attempts, random);
      return {
        status: 'pending',
        attempts,
        notBefore: new Date(now.getTime() + wait).toISOString(),
        lastError: result.error,
        claimedAt: undefined,
        startedAt: undefined,
      };
    }
  }
}
