import { randomBytes } from 'node:crypto';
import type { BenchDatabases } from '../support/pgDatabases.js';
import { phaseFanout2 } from './fanout2.js';
import { PG_PHASES, type Options } from './options.js';
import { phasePg } from './pg.js';
import { phasePgStore } from './pgStore.js';
import type { BenchContext, BenchResults } from './results.js';
import { oneRecord } from './record.js';

/**
 * The PostgreSQL phases, on two throw-away, migrated databases (scripts/support/pgDatabases.ts:
 * BENCH_DATABASE_URL or TEST_DATABASE_URL, else Debian's cluster on this machine); where there is none they are
 * skipped, saying why. The databases are dropped at the end.
 */
export async function runPgPhases(options: Options, context: BenchContext, results: BenchResults): Promise<void> {
  const { say } = context;
  const chosen = PG_PHASES.filter((p) => options.phases.has(p));
  say(`PostgreSQL (${chosen.join(', ')}): two throw-away databases …`);
  const { createBenchDatabases } = await import('../support/pgDatabases.js');
  let databases: BenchDatabases;
  try {
    databases = await createBenchDatabases();
  } catch (err) {
    results.pgSkipped = err instanceof Error ? err.message : String(err);
    say(`  the PostgreSQL phases were skipped: ${results.pgSkipped}`);
    return;
  }
  try {
    await runOnDatabases(options, context, results, databases);
  } finally {
    await databases.drop().catch((err: unknown) => {
      say(`  could not drop the bench databases: ${err instanceof Error ? err.message : String(err)}`);
    });
  }
}

async function runOnDatabases(
  options: Options,
  { tmp, connector, say }: BenchContext,
  results: BenchResults,
  databases: BenchDatabases,
): Promise<void> {
  const { phases, pgParticipants, small, large } = options;
  const secretHex = randomBytes(32).toString('hex');
  const thenPaced = options.thinkMs ? ' then paced' : '';
  if (phases.has('pg')) {
    say(`pg. Wijzer on PostgreSQL, one instance: ${pgParticipants} participants, closed loop${thenPaced} …`);
    results.pg1 = await phasePg(options, tmp, connector, databases, secretHex, 1);
  }
  if (phases.has('pg2')) {
    const how = `two instances (turns round robin): ${pgParticipants} participants, closed loop${thenPaced}`;
    say(`pg2. Wijzer on PostgreSQL, ${how} …`);
    results.pg2 = await phasePg(options, tmp, connector, databases, secretHex, 2);
  }
  if (phases.has('pgsave') || phases.has('export')) {
    const stored = `${small.toLocaleString('en')} and ${large.toLocaleString('en')} interviews stored`;
    say(`pgsave/export. PgAnswerStore.saveInterview with ${stored}; CSV export of ${large.toLocaleString('en')} …`);
    const { pg1, pg2, wijzer } = results;
    const record = pg1?.record ?? pg2?.record ?? wijzer?.record ?? (await oneRecord(tmp, connector));
    results.pgStore = await phasePgStore(options, databases, record);
  }
  if (phases.has('fanout2')) {
    const limit = `mock connector limited to ${options.fanout2Limit} requests/s`;
    say(`fanout2. invitation fan-out by two instances (shared rate gate): ${options.fanout2Jobs} jobs, ${limit} …`);
    results.fanout2 = await phaseFanout2(options, databases);
  }
}
