import { openPostgresStores, type PostgresStores } from '../../src/storage/postgres/index.js';
import { createDatabasePair, type DatabasePair } from '../support/postgres.js';
import { at } from '../support/defined.js';

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

test('two instances share one token bucket: the burst goes at once, every later send gets a slot of its own', async () => {
  const gates = [a.rateGate('t1', 2, 5), b.rateGate('t1', 2, 5)];
  const waits = await Promise.all(Array.from({ length: 12 }, (_, i) => Promise.resolve(at(gates, i % 2).reserve())));
  // Within the same instant: 5 tokens in the bucket, refilled at 2 per second, so about 5 go and 7 are booked.
  const granted = waits.filter((w) => w === 0).length;
  expect(granted).toBeGreaterThanOrEqual(5);
  expect(granted).toBeLessThanOrEqual(6);
  // Booked slots are 500 ms apart (less the moments between the bookings): no two instances share one.
  const booked = waits.filter((x) => x > 0).sort((x, y) => x - y);
  booked.forEach((w, i) => expect(w - (i ? at(booked, i - 1) : 0)).toBeGreaterThan(250));
  expect(booked[booked.length - 1]).toBeLessThanOrEqual(3500);
});

test('buckets of other names are separate', async () => {
  expect(await a.rateGate('t2', 1, 1).reserve()).toBe(0);
  expect(await b.rateGate('t2', 1, 1).reserve()).toBeGreaterThan(0);
  expect(await b.rateGate('t3', 1, 1).reserve()).toBe(0);
});
