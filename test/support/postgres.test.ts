import { expect, test } from '@jest/globals';
import { adminPool, createDatabasePair } from './postgres.js';

test('a suite not listed as serial gets no database, and is told where to list itself', async () => {
  await expect(createDatabasePair()).rejects.toThrow(
    'test/support/postgres.test.ts uses PostgreSQL: list it in test/support/serialSuites.mjs',
  );
});

/**
 * A pair's drop ends the connections still open on it (WITH (FORCE)), and `pool.end()` may resolve before its own
 * have closed: the error that arrives then must stay in the pool, not fail whichever test runs.
 */
test("an admin pool keeps the error of a connection the pair's drop ended", async () => {
  const pool = adminPool('postgresql://root@/nowhere?host=/var/run/postgresql');
  const ended = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
  expect(() => pool.emit('error', ended)).not.toThrow();
  await pool.end();
});
