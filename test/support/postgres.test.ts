import { expect, test } from '@jest/globals';
import { createDatabasePair } from './postgres.js';

test('a suite not listed as serial gets no database, and is told where to list itself', async () => {
  await expect(createDatabasePair()).rejects.toThrow(
    'test/support/postgres.test.ts uses PostgreSQL: list it in test/support/serialSuites.mjs',
  );
});
