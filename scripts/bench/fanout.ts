import type { FanoutReport } from '../support/fanout.js';
import type { Options } from './options.js';

/**
 * Phase d: the researcher's invitation fan-out (scripts/support/fanout.ts): the production Outbox,
 * LowdbOutboxStore and TeamsMessenger on a CloudAdapter against a mock Bot Connector that answers 429 +
 * Retry-After past its rate limit: the Outbox is given the limit as its rate, as OUTBOX_RATE_PER_SEC is meant to be
 * set, 20 invitations/s, each to a new chat (createConversation + send: 2 requests), against 40 requests/s, and
 * paces under it; 600 invitations take about 31 s. What share of the limit it fills, and how many 429s it still
 * meets, are the figures; `--fanout-rate 30` offers more than the limit. A lost or duplicated invitation fails the
 * bench.
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
