import { performance } from 'node:perf_hooks';
import type { Content } from '../../src/content/load.js';
import type { InterviewRecord } from '../../src/interview/types.js';
import { letterCode } from '../../src/interview/codes.js';
import { exportRound } from '../../src/research/export/index.js';
import { openPostgresStores } from '../../src/storage/postgres/index.js';
import type { BenchDatabases } from './pgDatabases.js';

/**
 * The bench's PostgreSQL store phases (issue 6): PgAnswerStore.saveInterview with 1,000 and then 60,000 interviews
 * stored in one round (filled by one INSERT ... SELECT over unnest of distinct letter codes, copies of one real,
 * complete record), and the CSV export (exportRound) of that round once it holds the 60,000 completed interviews.
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
  /** exportRound(csv) of `exportInterviews` completed interviews, null when not asked for. */
  exportMs: number | null;
  exportInterviews: number;
  exportBytes: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export async function runPgStore(options: {
  databases: BenchDatabases;
  record: Record<string, unknown>;
  content: Content;
  /** The content round the bench round copies (guide, deck). */
  templateRoundId: string;
  sizes: number[];
  saves: number;
  doSaves: boolean;
  doExport: boolean;
  seed?: number;
}): Promise<PgStoreReport> {
  const roundId = 'bench-pg-store';
  const stores = await openPostgresStores({ databaseUrl: options.databases.databaseUrl, keyDatabaseUrl: options.databases.keyDatabaseUrl });
  try {
    const template = options.content.rounds.get(options.templateRoundId) ?? [...options.content.rounds.values()][0];
    if (!template) throw new Error('the content has no round to copy for the PostgreSQL store phases');
    await stores.answers.saveRound({ ...template, id: roundId, status: 'open', openedAt: new Date().toISOString(), closedAt: null } as typeof template);
    const base = { ...(options.record as unknown as InterviewRecord), roundId };
    if (!base.completedAt) throw new Error('the record for the PostgreSQL store phases is not complete');
    const revs: number[] = [];
    let filled = 0;
    const fill = async (size: number): Promise<number> => {
      const codes = Array.from({ length: size - filled }, (_, i) => letterCode(filled + i));
      const started = performance.now();
      await stores.answersPool.query(
        `INSERT INTO interviews (round_id, code, rev, data)
         SELECT $1, c, 5, jsonb_set($2::jsonb, '{code}', to_jsonb(c))::json FROM unnest($3::text[]) AS c`,
        [roundId, JSON.stringify({ ...base, rev: 5 }), codes],
      );
      await stores.answersPool.query('VACUUM ANALYZE interviews');
      for (let i = filled; i < size; i++) revs[i] = 5;
      filled = size;
      return performance.now() - started;
    };
    let state = options.seed ?? 42;
    const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const saves: PgSaveResult[] = [];
    for (const size of options.sizes) {
      const fillMs = await fill(size);
      if (!options.doSaves) continue;
      const save = async (): Promise<number> => {
        const index = Math.floor(random() * size);
        const rev = revs[index];
        const next: InterviewRecord = { ...base, code: letterCode(index), rev: rev + 1, lastSubmit: `{"bench":${rev + 1}}` } as InterviewRecord;
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
      if (!stored || stored.rev !== revs[0]) throw new Error('PgAnswerStore.saveInterview did not leave the expected revision in the store');
      samples.sort((a, b) => a - b);
      saves.push({ stored: size, medianMs: percentile(samples, 50), p95Ms: percentile(samples, 95), fillMs });
    }
    let exportMs: number | null = null;
    let exportBytes = 0;
    if (options.doExport) {
      const started = performance.now();
      const files = await exportRound({ stores, content: options.content, roundId, format: 'csv' });
      exportMs = performance.now() - started;
      exportBytes = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
    }
    return { saves, exportMs, exportInterviews: filled, exportBytes };
  } finally {
    await stores.close();
  }
}
