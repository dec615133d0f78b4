import { openPostgresStores, type PostgresStores } from '../../src/storage/postgres/index.js';
import { createDatabasePair, type DatabasePair } from '../support/postgres.js';

let pair: DatabasePair;
let a: PostgresStores;
let b: PostgresStores;

beforeAll(async () => {
  pair = await createDatabasePair({ migrate: true });
  // Two instances: two sets of pools on one key database.
  a = await openPostgresStores({ databaseUrl: pair.databaseUrl, keyDatabaseUrl: pair.keyDatabaseUrl, poolMax: 3 });
  b = await openPostgresStores({ databaseUrl: pair.databaseUrl, keyDatabaseUrl: pair.keyDatabaseUrl, poolMax: 3 });
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await pair?.drop();
});

test('two instances share one token bucket: together they never take more than the burst at once', async () => {
  const gates = [a.rateGate('t1', 2, 5), b.rateGate('t1', 2, 5)];
  const waits = await Promise.all(Array.from({ length: 12 }, (_, i) => gates[i % 2].take()));
  // Within the same instant: 5 tokens in the bucket, refilled at 2 per second, so about 5 go and 7 must wait.
  const granted = waits.filter((w) => w === 0).length;
  expect(granted).toBeGreaterThanOrEqual(5);
  expect(granted).toBeLessThanOrEqual(6);
  for (const w of waits.filter((x) => x > 0)) expect(w).toBeLessThanOrEqual(500);
});

test('buckets of other names are separate', async () => {
  expect(await a.rateGate('t2', 1, 1).take()).toBe(0);
  expect(await b.rateGate('t2', 1, 1).take()).toBeGreaterThan(0);
  expect(await b.rateGate('t3', 1, 1).take()).toBe(0);
});
