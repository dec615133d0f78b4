/**
 * The bench's export phase in a process of its own, so that its peak RSS is the export's alone:
 *   node exportChild.js export ROUND   exportTo (CSV) of the round, as the CLI writes it, to sinks that count bytes;
 *   node exportChild.js floor ROUND    the rows the export reads (the round's completed interviews, in R order, one
 *                                      COPY, each its export cells where they were made for this content, else its
 *                                      JSON) fetched from PostgreSQL and dropped unparsed: the floor an export cannot
 *                                      beat. Timed from the first row asked for: listing the codes is the export's.
 * Env: DATABASE_URL, KEY_DATABASE_URL, CONTENT_DIR. Sends { ms, cpuMs, bytes, rows, peakRssMB } to the parent.
 */
import { performance } from 'node:perf_hooks';
import { loadContent } from '../../src/content/load.js';
import { exportTo, planRequest } from '../../src/export/index.js';
import { openPostgresStores } from '../../src/storage/postgres/index.js';

export interface ExportChildResult {
  ms: number;
  /** CPU time (user + system) of this process over the same span: less disturbed by other work than ms. */
  cpuMs: number;
  bytes: number;
  rows: number;
  peakRssMB: number;
}

const [mode, roundId] = process.argv.slice(2);
if (roundId === undefined) throw new Error('usage: exportChild.js floor|export <round id>');
const stores = await openPostgresStores({
  databaseUrl: process.env.DATABASE_URL!,
  keyDatabaseUrl: process.env.KEY_DATABASE_URL!,
});
try {
  const content = loadContent(process.env.CONTENT_DIR);
  let bytes = 0;
  let rows = 0;
  let started = performance.now();
  let cpuBefore = process.cpuUsage();
  if (mode === 'floor') {
    // The export's own plan: the same codes in the same order, read the same way.
    const plan = await planRequest({ stores, content, roundId, format: 'csv' });
    if (!plan.texts) throw new Error('the PostgreSQL store hands out no interview texts');
    started = performance.now();
    cpuBefore = process.cpuUsage();
    for await (const { text } of plan.texts(plan.numbered)) {
      bytes += text.length;
      rows++;
    }
  } else {
    // As the CLI writes the files, to sinks that only count.
    await exportTo({ stores, content, roundId, format: 'csv' }, () => ({
      write: async (text) => void (bytes += Buffer.byteLength(text)),
      end: async () => undefined,
    }));
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const result: ExportChildResult = { ms, cpuMs, bytes, rows, peakRssMB: process.resourceUsage().maxRSS / 1024 };
  process.send!(result);
} finally {
  await stores.close();
}
