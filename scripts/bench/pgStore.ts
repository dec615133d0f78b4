import type { InterviewRecord } from '../../src/interview/types.js';
import type { PgStoreReport } from '../support/pgBench.js';
import type { BenchDatabases } from '../support/pgDatabases.js';
import { ROOT, ROUND } from './constants.js';
import type { Options } from './options.js';

/**
 * Phases pgsave and export (scripts/support/pgBench.ts). pgsave: PgAnswerStore.saveInterview with 1,000, then
 * 60,000 copies of a real record in one round. export: the CSV export of that round's 60,000 completed
 * interviews as the CLI writes it, in a process of its own, and its floor (the same rows read and dropped).
 */
export async function phasePgStore(
  options: Options,
  databases: BenchDatabases,
  record: InterviewRecord,
): Promise<PgStoreReport> {
  const { runPgStore } = await import('../support/pgBench.js');
  const { loadContent } = await import('../../src/content/load.js');
  const doSaves = options.phases.has('pgsave');
  return runPgStore({
    databases,
    record,
    content: loadContent(ROOT),
    contentDir: ROOT,
    templateRoundId: ROUND,
    sizes: doSaves ? [options.small, options.large] : [options.large],
    saves: options.saves,
    doSaves,
    doExport: options.phases.has('export'),
  });
}
