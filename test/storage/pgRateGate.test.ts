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

test('two instances share one schedule: no burst, every slot one spacing after the one before', async () => {
  const gates = [a.rateGate('t1', 200), b.rateGate('t1', 200)];
  const slots = await Promise.all(Array.from({ length: 12 }, (_, i) => Promise.resolve(at(gates, i % 2).reserve())));
  // Booked within moments of each other: one goes now, the others are 200 ms apart (less the moments between the
  // bookings), whichever instance booked them.
  const waits = slots.map((s) => s.waitMs).sort((x, y) => x - y);
  expect(waits.filter((w) => w < 100)).toHaveLength(1);
  waits.slice(1).forEach((w, i) => expect(w - at(waits, i)).toBeGreaterThan(150));
  expect(at(waits, -1)).toBeLessThanOrEqual(11 * 200);
  expect(slots.every((s) => s.pausedMs === 0)).toBe(true);
});

test("a pause by one instance holds back the other's next slot, and a pause under way is extended, not added to", async () => {
  const [mine, theirs] = [a.rateGate('t4', 100), b.rateGate('t4', 100)];
  expect((await mine.reserve()).waitMs).toBeLessThan(50);
  expect(await mine.pause(3000)).toBe(3000);
  const held = await theirs.reserve();
  // The slot booked before the pause moved by it; this one follows it.
  expect(held.waitMs).toBeGreaterThan(2900);
  expect(held.waitMs).toBeLessThanOrEqual(3100);
  expect(held.pausedMs).toBe(3000);
  // The same 429 seen by the other instance a moment later adds only what goes past the pause under way.
  const total = await theirs.pause(3000);
  expect(total).toBeGreaterThan(3000);
  expect(total).toBeLessThan(3500);
  const next = await mine.reserve();
  expect(next.pausedMs).toBe(total);
  // One spacing after the held slot, which the extension moved too: 100 ms, less the moments between the calls
  // (the extension is measured from the first pause, the waits from each booking).
  expect(next.waitMs - held.waitMs).toBeGreaterThan(50);
  expect(next.waitMs).toBeLessThan(3700);
});

test('schedules of other names are separate', async () => {
  expect((await a.rateGate('t2', 1000).reserve()).waitMs).toBe(0);
  expect((await b.rateGate('t2', 1000).reserve()).waitMs).toBeGreaterThan(0);
  expect((await b.rateGate('t3', 1000).reserve()).waitMs).toBe(0);
});
