import type { FanoutReport } from '../support/fanout.js';
import type { Options } from './options.js';

/**
 * Phase d: the researcher's invitation fan-out (scripts/support/fanout.ts): the production Outbox,
 * LowdbOutboxStore and TeamsMessenger on a CloudAdapter against a mock Bot Connector that answers 429 +
 * Retry-After past a rate limit set below the outbox's rate: the Outbox sends 30 invitations/s, each to a new
 * chat (createConversation + send: 2 requests), against 40 requests/s, so 429s really happen, and 600
 * invitations take about 35 s (with --fanout-limit 20 about 65 s). A lost or duplicated invitation fails the bench.
 */
export async function phaseFanout(options: Options): Promise<FanoutReport> {
  const { runFanout } = await import('../support/fanout.js');
  return runFanout({
    jobs: options.fanoutJobs,
    outboxRatePerSec: options.fanoutRate,
    limitPerSec: options.fanoutLimit,
    retryAfterSec: options.fanoutRetryAfter,
    timeoutMs: 4 * 60_000,
  });
}

/** Every invitation sent exactly once, to its invitee only. */
export function fanoutOk(f: FanoutReport): boolean {
  return f.lost === 0 && f.duplicates === 0 && f.misdelivered === 0 && f.strays === 0 && f.problems.length === 0;
}
