import type { Fanout2Report } from '../support/fanout2.js';
import type { BenchDatabases } from '../support/pgDatabases.js';
import type { Options } from './options.js';

/**
 * Phase fanout2: scripts/support/fanout2.ts, two instances' outboxes (two openPostgresStores) with the shared
 * rate gate draining --fanout2-jobs invitations against the mock connector limited to --fanout2-limit
 * requests/s. A lost or duplicated invitation fails the bench.
 */
export async function phaseFanout2(options: Options, databases: BenchDatabases): Promise<Fanout2Report> {
  const { runFanout2 } = await import('../support/fanout2.js');
  return runFanout2({ databases, jobs: options.fanout2Jobs, limitPerSec: options.fanout2Limit, timeoutMs: 2 * 60_000 });
}

/** Every invitation sent exactly once, to its invitee only. */
export function fanout2Ok(f: Fanout2Report): boolean {
  return f.lost === 0 && f.duplicates === 0 && f.strays === 0 && f.problems.length === 0;
}
