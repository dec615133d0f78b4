import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Content } from '../../src/content/load.js';
import type { InterviewRecord } from '../../src/interview/types.js';
import { letterCode } from '../../src/interview/codes.js';
import { exportCellsMaker } from '../../src/export/cells.js';
import { openPostgresStores } from '../../src/storage/postgres/index.js';
import type { ExportChildResult } from './exportChild.js';
import type { BenchDatabases } from './pgDatabases.js';
import { percentile } from './percentile.js';
import { defined } from '../../src/defined.js';

/**
 * The bench's PostgreSQL store phases: PgAnswerStore.saveInterview with 1,000 and then 60,000 interviews
 * stored in one round (filled by one INSERT ... SELECT over unnest of distinct letter codes, copies of one real,
 * complete record), and the CSV export (exportStreams, in a process of its own) of that round once it holds the 60,000 completed
 * interviews, next to the floor: the same rows read and dropped.
 */

export interface PgSaveResult {
  stored: number;
  medianMs: number;
  p95Ms: number;
  /** The bulk insert that brought the round to `stored` interviews. */
  fillMs: number;
}

export interface PgStoreReport {
  saves: PgSaveResult[];
  /** exportStreams(csv) of `exportInterviews` completed interviews read to the end, null when not asked for. */
  exportMs: number | null;
  exportInterviews: number;
  exportBytes: number;
  /** Peak RSS of the process that ran only the export. */
  exportPeakRssMB: number | null;
  /** Reading the same rows from PostgreSQL and dropping them, in a process of its own. */
  exportFloorMs: number | null;
  /** CPU time of the export's and of the floor's process over their timed spans. */
  exportCpuMs: number | null;
  exportFloorCpuMs: number | null;
  exportFloorPeakRssMB: number | null;
}

/** One export phase in a fresh process (scripts/support/exportChild.ts), so that its peak RSS is its own. */
function runExportChild(
  mode: 'export' | 'floor',
  roundId: string,
  env: Record<string, string>,
): Promise<ExportChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./exportChild.js', import.meta.url)), [mode, roundId], {
      env: { ...process.env, ...env },
    });
    let result: ExportChildResult | null = null;
    child.on('message', (m) => (result = m as ExportChildResult));
    child.on('error', reject);
    child.on('exit', (code) =>
      result ? resolve(result) : reject(new Error(`the export ${mode} process ended with code ${code} and no result`)),
    );
  });
}

export async function runPgStore(options: {
  databases: BenchDatabases;
  record: InterviewRecord;
  content: Content;
  /** Where the content is, for the export's own process. */
  contentDir: string;
  /** The content round the bench round copies (guide, deck). */
  templateRoundId: string;
  sizes: number[];
  saves: number;
  doSaves: boolean;
  doExport: boolean;
  seed?: number;
}): Promise<PgStoreReport> {
  const roundId = 'bench-pg-store';
  // The bulk fill of 60,000 rows is the bench's own statement, not a turn's: it may take longer than a turn may.
  const stores = await openPostgresStores({
    databaseUrl: options.databases.databaseUrl,
    keyDatabaseUrl: options.databases.keyDatabaseUrl,
    statementTimeoutMs: 120_000,
  });
  try {
    const template = options.content.rounds.get(options.templateRoundId) ?? [...options.content.rounds.values()][0];
    if (!template) throw new Error('the content has no round to copy for the PostgreSQL store phases');
    await stores.answers.saveRound({
      ...template,
      id: roundId,
      status: 'open',
      openedAt: new Date().toISOString(),
      closedAt: null,
    });
    const base = { ...options.record, roundId };
    if (!base.completedAt) throw new Error('the record for the PostgreSQL store phases is not complete');
    // Saved as the bot saves them: with their export cells (the same for every copy: the cells hold no code).
    stores.answers.keepExportCells(options.content);
    const made = await exportCellsMaker(options.content, (id) => stores.answers.getRound(id))({ ...base, rev: 5 });
    if (!made) throw new Error('the record for the PostgreSQL store phases gives no export cells');
    const revs: number[] = [];
    let filled = 0;
    const fill = async (size: number): Promise<number> => {
      const codes = Array.from({ length: size - filled }, (_, i) => letterCode(filled + i));
      const started = performance.now();
      await stores.answersPool.query(
        `INSERT INTO interviews (round_id, code, rev, data, completed, export_key, export_cells)
         SELECT $1, c, 5, jsonb_set($2::jsonb, '{code}', to_jsonb(c))::json, true, $4, $5 FROM unnest($3::text[]) AS c`,
        [roundId, JSON.stringify({ ...base, rev: 5 }), codes, made.key, made.cells],
      );
      await stores.answersPool.query('VACUUM ANALYZE interviews');
      for (let i = filled; i < size; i++) revs[i] = 5;
      filled = size;
      return performance.now() - started;
    };
    let state = options.seed ?? 42;
    const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const saves: PgSaveResult[] = [];
    for (const size of options.sizes) {
      const fillMs = await fill(size);
      if (!options.doSaves) continue;
      const save = async (): Promise<number> => {
        const index = Math.floor(random() * size);
        const rev = defined(revs[index], 'rev of a stored interview');
        const next: InterviewRecord = {
          ...base,
          code: letterCode(index),
          rev: rev + 1,
          lastSubmit: `{"bench":${rev + 1}}`,
        };
        const started = performance.now();
        await stores.answers.saveInterview(next, rev);
        const ms = performance.now() - started;
        revs[index] = rev + 1;
        return ms;
      };
      for (let i = 0; i < 50; i++) await save(); // warm-up
      const samples: number[] = [];
      for (let i = 0; i < options.saves; i++) samples.push(await save());
      const stored = await stores.answers.getInterview(roundId, letterCode(0));
      if (!stored || stored.rev !== revs[0])
        throw new Error('PgAnswerStore.saveInterview did not leave the expected revision in the store');
      samples.sort((a, b) => a - b);
      saves.push({ stored: size, medianMs: percentile(samples, 50), p95Ms: percentile(samples, 95), fillMs });
    }
    let exported: ExportChildResult | null = null;
    let floor: ExportChildResult | null = null;
    if (options.doExport) {
      const env = {
        DATABASE_URL: options.databases.databaseUrl,
        KEY_DATABASE_URL: options.databases.keyDatabaseUrl,
        CONTENT_DIR: options.contentDir,
      };
      floor = await runExportChild('floor', roundId, env);
      exported = await runExportChild('export', roundId, env);
    }
    return {
      saves,
      exportMs: exported?.ms ?? null,
      exportInterviews: filled,
      exportBytes: exported?.bytes ?? 0,
      exportPeakRssMB: exported?.peakRssMB ?? null,
      exportFloorMs: floor?.ms ?? null,
      exportCpuMs: exported?.cpuMs ?? null,
      exportFloorCpuMs: floor?.cpuMs ?? null,
      exportFloorPeakRssMB: floor?.peakRssMB ?? null,
    };
  } finally {
    await stores.close();
  }
}
