import type pg from 'pg';
import { letterCode } from '../../src/interview/codes.js';
import { createRecord } from '../../src/interview/engine.js';
import type { InterviewRecord } from '../../src/interview/types.js';
import { openPostgresStores, type PostgresStores } from '../../src/storage/postgres/index.js';
import { contextFor } from '../support/context.js';
import { adminPool, createDatabasePair, type DatabasePair } from '../support/postgres.js';

/**
 * Consents on PostgreSQL, many at once from two instances: a code is handed out and its interview stored in one
 * statement, so no code goes twice, none is left unused, and one whose interview the database refuses is not used up.
 */

const ctx = contextFor();
/** The deck id the database is told to refuse (a CHECK constraint added for these tests). */
const REFUSED = 'refused-by-the-database';

let pair: DatabasePair;
let admin: pg.Pool;
let one: PostgresStores;
let two: PostgresStores;

const build = (refuse: boolean) => (code: string) => ({
  ...createRecord(ctx, code, false, null),
  ...(refuse ? { deckId: REFUSED } : {}),
});

async function collect(iterable: AsyncIterable<InterviewRecord>): Promise<InterviewRecord[]> {
  const out: InterviewRecord[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}

beforeAll(async () => {
  pair = await createDatabasePair({ migrate: true });
  admin = adminPool(pair.databaseUrl);
  await admin.query(`ALTER TABLE interviews ADD CONSTRAINT refuse_some CHECK (data::text NOT LIKE '%${REFUSED}%')`);
  const open = () =>
    openPostgresStores({ databaseUrl: pair.databaseUrl, keyDatabaseUrl: pair.keyDatabaseUrl, poolMax: 6 });
  [one, two] = [await open(), await open()];
}, 60_000);
beforeEach(async () => {
  await admin.query('DELETE FROM interviews; DELETE FROM round_counters');
});
afterAll(async () => {
  await Promise.allSettled([one?.close(), two?.close()]);
  await admin?.end();
  await pair?.drop();
});

test('200 consents at once on two instances: each code once, none skipped, none used by a refused one', async () => {
  const results = await Promise.allSettled(
    Array.from({ length: 200 }, (_, i) => (i % 2 ? two : one).answers.createInterview('default', build(i % 4 === 3))),
  );
  const refused = results.filter((r) => r.status === 'rejected');
  expect(refused).toHaveLength(50);
  for (const r of refused) expect(String(r.reason)).toMatch(/refuse_some/);
  const codes = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.code] : []));
  expect([...codes].sort()).toEqual(Array.from({ length: 150 }, (_, i) => letterCode(i)).sort());
  expect(await one.answers.counters('default')).toEqual({ issued: 150, declined: 0, withdrawn: 0 });
  const stored = await collect(two.answers.listInterviews('default'));
  expect(stored.map((r) => r.code).sort()).toEqual([...codes].sort());
  // Each stored record carries its own code, and the one its caller got back.
  const byCode = new Map(results.flatMap((r) => (r.status === 'fulfilled' ? [[r.value.code, r.value]] : [])));
  for (const record of stored) expect(record).toEqual(byCode.get(record.code));
  // The next consent gets the next code.
  expect((await one.answers.createInterview('default', build(false))).code).toBe(letterCode(150));
});

test('counters restored from an older copy: the codes in use are skipped, never handed out again', async () => {
  const stores = one;
  for (let i = 0; i < 3; i++) await stores.answers.createInterview('default', build(false));
  await admin.query(`UPDATE round_counters SET issued = 1 WHERE round_id = 'default'`);
  const next = await stores.answers.createInterview('default', build(false));
  expect(next.code).toBe('D');
  expect((await stores.answers.counters('default')).issued).toBe(4);
  expect((await stores.answers.getInterview('default', 'B'))?.code).toBe('B');
});

test("the database's letter codes are src/interview/codes.ts's", async () => {
  const { rows } = await admin.query<{ code: string }>(
    'SELECT letter_code(i) AS code FROM generate_series(0, 20000) AS i ORDER BY i',
  );
  expect(rows.map((r) => r.code)).toEqual(Array.from({ length: 20001 }, (_, i) => letterCode(i)));
  await expect(admin.query('SELECT letter_code(-1)')).rejects.toThrow(/code index must be a whole number >= 0/);
});
