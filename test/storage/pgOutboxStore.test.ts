/**
 * PgOutboxStore's heartbeat and goodbye against a pool whose answers the test hands out one by one, so that close()
 * can come exactly while a write is in flight. (Claims, recovery and the lease against a real database are in
 * postgresStore.test.ts and postgresContract.test.ts.)
 */
import { afterEach, beforeEach, expect, jest, test } from '@jest/globals';
import type { Pool } from 'pg';
import { PgOutboxStore } from '../../src/storage/postgres/outboxStore.js';
import { at } from '../support/defined.js';

interface Call {
  sql: string;
  answer: () => void;
  fail: (err: Error) => void;
}

/**
 * A pool that holds every write of outbox_instances until the test answers it (as if the database were slow);
 * other statements (the claim) are answered at once.
 */
function heldPool(): { pool: Pool; calls: Call[]; answered: string[] } {
  const calls: Call[] = [];
  const answered: string[] = [];
  const query = (sql: string) =>
    new Promise((resolve, reject) => {
      const call = {
        sql,
        answer: () => {
          answered.push(sql);
          resolve({ rows: [], rowCount: 1 });
        },
        fail: reject,
      };
      calls.push(call);
      if (!sql.includes('outbox_instances')) call.answer();
    });
  return { pool: { query } as unknown as Pool, calls, answered };
}

const isTouch = (sql: string) => sql.startsWith('INSERT INTO outbox_instances');
const isGoodbye = (sql: string) => sql.startsWith('DELETE FROM outbox_instances');
/** Lets the store's promise chains run (the fake timers leave promises alone). */
const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

/** The last query is the goodbye; once it is answered close() ends, no timer is left, and a minute on nothing runs. */
async function goodbyeIsLast(calls: Call[], closed: Promise<void>): Promise<void> {
  const goodbye = at(calls, -1, 'goodbye');
  expect(isGoodbye(goodbye.sql)).toBe(true);
  goodbye.answer();
  await closed;
  expect(jest.getTimerCount()).toBe(0);
  const asked = calls.length;
  jest.advanceTimersByTime(60_000);
  await settle();
  expect(calls).toHaveLength(asked);
}

/** A store that registered itself and claimed a job (its heartbeat is running). */
async function claimedOnce(): Promise<{ store: PgOutboxStore; calls: Call[] }> {
  const { pool, calls } = heldPool();
  const store = new PgOutboxStore(pool, { claimLeaseMs: 4000 });
  const claim = store.claim('job-1', new Date());
  await settle();
  at(calls, 0, 'registration').answer();
  expect(await claim).toBe(true);
  return { store, calls };
}

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
});
afterEach(() => {
  jest.useRealTimers();
});

test('closed while its first registration is in flight: the claim is refused and no heartbeat is left running', async () => {
  const { pool, calls, answered } = heldPool();
  const store = new PgOutboxStore(pool, { claimLeaseMs: 4000 });
  const claim = store.claim('job-1', new Date());
  await settle();
  const registration = at(calls, 0, 'registration');
  expect(isTouch(registration.sql)).toBe(true);

  const closed = store.close();
  registration.answer();
  await settle();
  // The old race: the heartbeat was started when the registration landed, after close() had stopped "it".
  expect(jest.getTimerCount()).toBe(0);
  await expect(claim).rejects.toThrow('closed');
  // The goodbye comes after the registration landed, so the row cannot outlive it.
  await goodbyeIsLast(calls, closed);
  expect(answered.map(isTouch)).toEqual([true, false]);
});

test('closed while a heartbeat is in flight: the goodbye waits for it, and nothing runs after', async () => {
  const { store, calls } = await claimedOnce();
  expect(isTouch(at(calls, 1, 'claim').sql)).toBe(false);

  jest.advanceTimersByTime(1000);
  await settle();
  const heartbeat = at(calls, 2, 'heartbeat');
  expect(isTouch(heartbeat.sql)).toBe(true);
  const closed = store.close();
  await settle();
  expect(calls).toHaveLength(3);
  heartbeat.answer();
  await settle();
  await goodbyeIsLast(calls, closed);
});

test('close is idempotent: one goodbye, and a claim after it is refused without a query', async () => {
  const { store, calls } = await claimedOnce();

  const first = store.close();
  const second = store.close();
  await settle();
  at(calls, 2, 'goodbye').answer();
  await Promise.all([first, second, store.close()]);
  expect(calls.filter((c) => isGoodbye(c.sql))).toHaveLength(1);

  const late = store.claim('job-2', new Date());
  await settle();
  expect(calls).toHaveLength(3);
  await expect(late).rejects.toThrow('closed');
  expect(jest.getTimerCount()).toBe(0);
});
