import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadContent } from '../../src/content/load.js';
import { csvWorkerCount } from '../../src/export/csvInWorkers.js';
import { exportRound, exportTo, type Sink } from '../../src/export/index.js';
import type { InterviewRecord } from '../../src/interview/types.js';
import { PgCopier } from '../../src/storage/postgres/copy.js';
import { openPostgresStores, type PostgresStores } from '../../src/storage/postgres/index.js';
import { createDatabasePair, type DatabasePair } from '../support/postgres.js';
import { REPO_ROOT } from '../support/repoRoot.js';
import { ctx, TRICKY, trickyRecord } from '../support/trickyRecords.js';

/**
 * The CLI's CSV export of a PostgreSQL round has its records parsed and written by worker threads (the built
 * dist/src/export/csvWorker.js; under jest the TypeScript sources have none, so an export in this process is
 * written in one thread): both must give the same bytes, and a record the export refuses must stop both alike.
 */

let pair: DatabasePair;
let stores: PostgresStores;
const dir = mkdtempSync(path.join(tmpdir(), 'wijzer-pg-export-'));
const content = loadContent(REPO_ROOT);
/** Several batches of each worker, and one answer longer than a batch's texts buffer. */
const HUGE = `groot ${'ë'.repeat(400_000)} einde`;
const interviews: InterviewRecord[] = Array.from({ length: 80 * TRICKY.length }, (_, i) => {
  const record = trickyRecord(i);
  return i === 9 ? { ...record, answers: { ...record.answers, wrapUp: { anythingElse: HUGE } } } : record;
});

async function insert(roundId: string, records: object[], codes = records.map((r) => (r as InterviewRecord).code)) {
  await stores.answersPool.query(
    `INSERT INTO interviews (round_id, code, rev, data, completed)
     SELECT $1, c, 1, d::json, true FROM unnest($2::text[], $3::text[]) AS t(c, d)`,
    [roundId, codes, records.map((r) => JSON.stringify({ ...r, roundId }))],
  );
}

function cli(roundId: string, out: string) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: pair.databaseUrl,
    KEY_DATABASE_URL: pair.keyDatabaseUrl,
    PSEUDONYM_SECRET: randomBytes(48).toString('base64'),
    CONTENT_DIR: REPO_ROOT,
  };
  delete env.NODE_OPTIONS;
  return spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, 'dist/scripts/export.js'), '--round', roundId, '--format', 'csv', '--out', out],
    { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 120_000 },
  );
}

async function inThisProcess(roundId: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer[]>();
  const open = (name: string): Sink => {
    const chunks: Buffer[] = [];
    files.set(name, chunks);
    return { write: async (chunk) => void chunks.push(Buffer.from(chunk)), end: async () => undefined };
  };
  await exportTo({ stores, content, roundId, format: 'csv' }, open);
  return new Map([...files].map(([name, chunks]) => [name, Buffer.concat(chunks)]));
}

beforeAll(async () => {
  pair = await createDatabasePair();
  stores = await openPostgresStores({ databaseUrl: pair.databaseUrl, keyDatabaseUrl: pair.keyDatabaseUrl });
  for (const id of ['whole', 'damaged', 'recoded', 'celled', 'badcells'])
    await stores.answers.saveRound({ ...ctx.round, id, status: 'open', openedAt: '2026-11-20T09:00:00.000Z' });
  await insert('whole', interviews);
  // Saved as the bot saves them: each completed interview with its export cells.
  stores.answers.keepExportCells(content);
  for (const id of ['celled', 'badcells']) {
    const records = id === 'celled' ? interviews : interviews.slice(0, 300);
    await insert(id, records);
    for (const r of records) await stores.answers.saveInterview({ ...r, roundId: id, rev: 2 }, 1);
  }
}, 120_000);
afterAll(async () => {
  await stores?.close();
  await pair?.drop();
  rmSync(dir, { recursive: true, force: true });
});

test('the CLI writes in worker threads, byte for byte what one thread writes', async () => {
  expect(csvWorkerCount()).toBe(0);
  const built = (await import(pathToFileURL(path.join(REPO_ROOT, 'dist/src/export/csvInWorkers.js')).href)) as {
    csvWorkerCount: () => number;
  };
  const cores = availableParallelism();
  expect(built.csvWorkerCount()).toBe(cores > 1 ? Math.min(4, cores) : 0);

  const expected = await inThisProcess('whole');
  const out = path.join(dir, 'whole');
  const run = cli('whole', out);
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  expect(readdirSync(out).sort()).toEqual([...expected.keys()].sort());
  for (const [name, bytes] of expected) expect(readFileSync(path.join(out, name)).equals(bytes)).toBe(true);
  const answers = expected.get('whole-answers.csv')!.toString('utf8');
  expect(answers).toContain(HUGE);
  expect(answers.match(/^R\d+,/gm)?.length).toBeGreaterThan(interviews.length);
}, 120_000);

test.each([
  ['damaged', 'a record that lost its placement', { placement: null }, 'is damaged in the store (placement)'],
  ['recoded', 'a record under another code than its own', { code: 'ZZZZ' }, 'is damaged in the store (code)'],
])(
  '%s: %s stops the CLI with its message, and no file is left',
  async (roundId, _what, damage, message) => {
    const records = interviews.slice(0, 300).map((r, i) => (i === 250 ? { ...r, ...damage } : r));
    await insert(
      roundId,
      records,
      interviews.slice(0, 300).map((r) => r.code),
    );
    await expect(inThisProcess(roundId)).rejects.toThrow(roundId === 'damaged' ? message : /out of order|damaged/);
    const out = path.join(dir, roundId);
    const run = cli(roundId, out);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(message);
    expect(readdirSync(out)).toEqual([]);
  },
  120_000,
);

test('interviews saved with their export cells: the CLI copies the cells, byte for byte what the records give', async () => {
  const { rows } = await stores.answersPool.query<{ n: string; keys: string }>(
    `SELECT count(*) AS n, count(DISTINCT export_key) AS keys FROM interviews
      WHERE round_id = 'celled' AND export_cells IS NOT NULL`,
  );
  expect(rows[0]).toEqual({ n: String(interviews.length), keys: '1' });
  // In this process (no worker file) the export reads the records; the CLI's workers read the cells.
  const expected = await inThisProcess('celled');
  const out = path.join(dir, 'celled');
  const run = cli('celled', out);
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  for (const [name, bytes] of expected) expect(readFileSync(path.join(out, name)).equals(bytes)).toBe(true);
  expect(expected.get('celled-answers.csv')!.toString('utf8')).toContain(HUGE);

  // Cells made for other content (another key) are not read: the record is, with the same bytes.
  await stores.answersPool.query(
    `UPDATE interviews SET export_key = 'other content' WHERE round_id = 'celled' AND code = 'B'`,
  );
  const again = path.join(dir, 'celled-again');
  expect(cli('celled', again).status).toBe(0);
  for (const [name, bytes] of expected) expect(readFileSync(path.join(again, name)).equals(bytes)).toBe(true);
}, 120_000);

test('a download of each file copies the cells too: the same bytes', async () => {
  const expected = await inThisProcess('celled');
  const files = await exportRound({ stores, content, roundId: 'celled', format: 'csv' });
  expect(files.map((f) => f.name).sort()).toEqual([...expected.keys()].sort());
  for (const f of files) expect(Buffer.from(f.content).equals(expected.get(f.name)!)).toBe(true);
}, 60_000);

test('damaged export cells stop the CLI with their message, and no file is left', async () => {
  await stores.answersPool.query(
    `UPDATE interviews SET export_cells = substring(export_cells FROM 1 FOR 9) WHERE round_id = 'badcells' AND code = 'KD'`,
  );
  const out = path.join(dir, 'badcells');
  const run = cli('badcells', out);
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('interview KD is damaged in the store (its export cells: cut short)');
  expect(readdirSync(out)).toEqual([]);
  // A download of the answers is cut off with the same message.
  await expect(exportRound({ stores, content, roundId: 'badcells', format: 'csv' })).rejects.toThrow(
    'interview KD is damaged in the store (its export cells: cut short)',
  );
}, 120_000);

test('a save of an interview in progress, and every copy of a record, leaves it without cells', async () => {
  const record = interviews[0]!;
  await insert('celled', [{ ...record, code: 'ZZA' }], ['ZZA']);
  await stores.answers.saveInterview({ ...record, roundId: 'celled', code: 'ZZA', rev: 2 }, 1);
  await stores.answers.saveInterview({ ...record, roundId: 'celled', code: 'ZZA', rev: 3, completedAt: null }, 2);
  const cells = async () =>
    (
      await stores.answersPool.query<{ cells: Buffer | null; key: string | null }>(
        `SELECT export_cells AS cells, export_key AS key FROM interviews WHERE round_id = 'celled' AND code = 'ZZA'`,
      )
    ).rows[0];
  expect(await cells()).toEqual({ cells: null, key: null });
  await stores.answers.saveInterview({ ...record, roundId: 'celled', code: 'ZZA', rev: 4 }, 3);
  expect((await cells())!.cells).not.toBeNull();
  const copier = new PgCopier(stores.answersPool, stores.keysPool);
  await copier.interviews([{ ...record, roundId: 'celled', code: 'ZZA', rev: 5 }]);
  expect(await cells()).toEqual({ cells: null, key: null });
  await stores.answers.deleteInterview('celled', 'ZZA');
});
