/**
 * The bench's export phase in a process of its own, so that its peak RSS is the export's alone:
 *   node exportChild.js export ROUND   exportTo (CSV) of the round, as the CLI writes it, to sinks that count bytes;
 *   node exportChild.js floor ROUND    the round's rows read from PostgreSQL (listInterviews) and dropped: the floor
 *                                      an export cannot beat.
 * Env: DATABASE_URL, KEY_DATABASE_URL, CONTENT_DIR. Sends { ms, bytes, rows, peakRssMB } to the parent.
 */
import { performance } from 'node:perf_hooks';
import { loadContent } from '../../src/content/load.js';
import { exportTo } from '../../src/export/index.js';
import { openPostgresStores } from '../../src/storage/postgres/index.js';

export interface ExportChildResult {
  ms: number;
  bytes: number;
  rows: number;
  peakRssMB: number;
}

const [mode, roundId] = process.argv.slice(2);
const stores = await openPostgresStores({ databaseUrl: process.env.DATABASE_URL!, keyDatabaseUrl: process.env.KEY_DATABASE_URL! });
try {
  const content = loadContent(process.env.CONTENT_DIR);
  let bytes = 0;
  let rows = 0;
  const started = performance.now();
  if (mode === 'floor') {
    for await (const record of stores.answers.listInterviews(roundId)) if (record.completedAt) rows++;
  } else {
    // As the CLI writes the files, to sinks that only count.
    await exportTo({ stores, content, roundId, format: 'csv' }, () => ({
      write: async (text) => void (bytes += Buffer.byteLength(text)),
      end: async () => undefined,
    }));
  }
  const ms = performance.now() - started;
  const result: ExportChildResult = { ms, bytes, rows, peakRssMB: process.resourceUsage().maxRSS / 1024 };
  process.send!(result);
} finally {
  await stores.close();
}
