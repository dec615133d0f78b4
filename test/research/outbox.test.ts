import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '../../src/research/outbox/outbox.js';
import { backoffMs, MAX_ATTEMPTS } from '../../src/research/outbox/retryPolicy.js';
import type { DeliveryResult, OutboxJob } from '../../src/ports/outbox.js';
import { LowdbOutboxStore } from '../../src/storage/lowdb/outboxStore.js';
import { at, only } from '../support/defined.js';
import { until } from '../support/until.js';

let dir: string;
let store: LowdbOutboxStore;
let now: number;
const clock = () => new Date(now);
const sleep = async (ms: number) => {
  now += ms;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-outbox-'));
  store = new LowdbOutboxStore(dir);
  now = Date.parse('2026-11-25T09:00:00Z');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function job(n: number): OutboxJob {
  return {
    id: `invite:r1:${n}`,
    kind: 'invite',
    roundId: 'r1',
    pseudonym: String(n).padStart(64, '0'),
    target: { channelId: 'msteams', serviceUrl: 'http://connector', tenantId: 't', userId: `u${n}` },
    status: 'pending',
    attempts: 0,
    notBefore: clock().toISOString(),
    createdAt: clock().toISOString(),
  };
}

/** A messenger that records the (simulated) time of every send and answers from a script. */
function messenger(answer: (j: OutboxJob, call: number) => DeliveryResult = () => ({ outcome: 'sent' })) {
  const calls: { id: string; at: number }[] = [];
  return {
    calls,
    deliver: async (j: OutboxJob) => {
      calls.push({ id: j.id, at: now });
      return answer(j, calls.filter((c) => c.id === j.id).length);
    },
  };
}

test('sends each job once, paced under the rate: no burst, no second with more than the rate', async () => {
  const m = messenger();
  const outbox = new Outbox(store, m, { ratePerSec: 5, headroom: 0.03, clock, sleep });
  expect(await outbox.enqueue(Array.from({ length: 40 }, (_, i) => job(i)))).toBe(40);
  expect(await outbox.enqueue([job(3)])).toBe(0);
  const report = await outbox.drain();
  expect(report).toEqual({ sent: 40, retried: 0, failed: 0, unreachable: 0 });
  expect(new Set(m.calls.map((c) => c.id)).size).toBe(40);
  expect(m.calls).toHaveLength(40);
  // In any window of one second no more than the rate went out, from the first send on.
  for (const c of m.calls)
    expect(m.calls.filter((d) => d.at >= c.at && d.at < c.at + 1000).length).toBeLessThanOrEqual(5);
  // Evenly spaced at the rate less its headroom (97% of 5 per second), give or take the store's moments.
  const perSec = 39 / ((at(m.calls, -1).at - at(m.calls, 0).at) / 1000);
  expect(perSec).toBeLessThanOrEqual(5 * 0.97);
  expect(perSec).toBeGreaterThanOrEqual(5 * 0.95);
});

test('a 429 waits for its Retry-After, a 5xx backs off, then both are sent', async () => {
  const m = messenger((j, call) => {
    if (j.id.endsWith(':1') && call === 1) return { outcome: 'retry', retryAfterMs: 7000, error: '429' };
    if (j.id.endsWith(':2') && call < 3) return { outcome: 'retry', error: '503' };
    return { outcome: 'sent', conversationId: `conv-${j.id}` };
  });
  const outbox = new Outbox(store, m, { ratePerSec: 100, clock, sleep, random: () => 1 });
  await outbox.enqueue([job(1), job(2)]);
  const first = await outbox.drain();
  expect(first).toEqual({ sent: 0, retried: 2, failed: 0, unreachable: 0 });
  const j1 = only(
    (await store.list('r1')).filter((j) => j.id.endsWith(':1')),
    'job 1',
  );
  const throttledAt = only(
    m.calls.filter((c) => c.id.endsWith(':1')),
    'send of job 1',
  ).at;
  expect(Date.parse(j1.notBefore) - throttledAt).toBeGreaterThanOrEqual(7000);
  now += 8000;
  await outbox.drain();
  now += 10000;
  await outbox.drain();
  const jobs = await store.list('r1');
  expect(jobs.map((j) => [j.status, j.attempts])).toEqual([
    ['sent', 2],
    ['sent', 3],
  ]);
  expect(at(jobs, 0, 'job').target.conversationId).toBe('conv-invite:r1:1');
});

test('a send that went late (a busy machine) moves the ones after it: no catching up in a burst', async () => {
  const m = messenger();
  let sleeps = 0;
  const outbox = new Outbox(store, m, {
    ratePerSec: 10,
    headroom: 0,
    clock,
    // The fourth timer fires 450 ms late, as on a machine whose cores are busy with other work.
    sleep: async (ms) => {
      now += ms + (++sleeps === 4 ? 450 : 0);
    },
  });
  await outbox.enqueue(Array.from({ length: 20 }, (_, i) => job(i)));
  await outbox.drain();
  expect(m.calls).toHaveLength(20);
  // Every send one spacing (100 ms) after the one before, the late one's successors included.
  m.calls.slice(1).forEach((c, i) => expect(c.at - at(m.calls, i).at).toBeGreaterThanOrEqual(100));
  for (const c of m.calls)
    expect(m.calls.filter((d) => d.at >= c.at && d.at < c.at + 1000).length).toBeLessThanOrEqual(10);
});

test('a send held up after its slot (a slow store write) never crowds the window after it', async () => {
  const m = messenger();
  const outbox = new Outbox(store, m, { ratePerSec: 10, headroom: 0, clock, sleep });
  let marks = 0;
  const markStarted = store.markStarted.bind(store);
  // Marking the fourth job started takes 450 ms: its send goes out that much after its slot.
  store.markStarted = async (id, when) => {
    if (++marks === 4) now += 450;
    return markStarted(id, when);
  };
  await outbox.enqueue(Array.from({ length: 20 }, (_, i) => job(i)));
  await outbox.drain();
  expect(m.calls).toHaveLength(20);
  // The ones whose slots passed while it was held up go after it; no window of a second holds more than the rate.
  for (const c of m.calls)
    expect(m.calls.filter((d) => d.at >= c.at && d.at < c.at + 1000).length).toBeLessThanOrEqual(10);
});

test('the next batch of due jobs is read while the last sends of this one wait for their slots', async () => {
  const m = messenger();
  const outbox = new Outbox(store, m, { ratePerSec: 10, headroom: 0, clock, sleep });
  const reads: number[] = [];
  const due = store.due.bind(store);
  // When each read of the due jobs began, counted in sends so far.
  store.due = async (when, limit) => {
    reads.push(m.calls.length);
    return due(when, limit);
  };
  await outbox.enqueue(Array.from({ length: 60 }, (_, i) => job(i)));
  expect(await outbox.drain()).toEqual({ sent: 60, retried: 0, failed: 0, unreachable: 0 });
  // The second read (jobs 51 to 60) came before the first batch's 50 were all sent: no pause between the batches.
  expect(at(reads, 0)).toBe(0);
  expect(at(reads, 1)).toBeLessThan(50);
});

test('a clock held still (as in a test of something else) does not hold the sends back for ever', async () => {
  const m = messenger();
  // The real sleep, a clock that does not move.
  const outbox = new Outbox(store, m, { ratePerSec: 1000, clock });
  await outbox.enqueue([1, 2, 3].map(job));
  expect(await outbox.drain()).toEqual({ sent: 3, retried: 0, failed: 0, unreachable: 0 });
});

test('a Retry-After pauses every send: those booked behind it wait it out, keeping their spacing', async () => {
  const m = messenger((j, call) =>
    j.id.endsWith(':2') && call === 1 ? { outcome: 'retry', retryAfterMs: 2000, error: '429' } : { outcome: 'sent' },
  );
  const outbox = new Outbox(store, m, { ratePerSec: 10, headroom: 0, clock, sleep });
  await outbox.enqueue([1, 2, 3, 4, 5, 6].map(job));
  await outbox.drain();
  const throttled = at(
    m.calls.filter((c) => c.id.endsWith(':2')),
    0,
    'first send of job 2',
  );
  const after = m.calls.filter((c) => c.at > throttled.at);
  // The others, then job 2 again (its own Retry-After has passed by then, in the same drain).
  expect(after.map((c) => c.id)).toEqual([3, 4, 5, 6, 2].map((n) => `invite:r1:${n}`));
  // Nothing went out during the pause; then the sends were 100 ms apart, as before it (no burst of the held ones).
  expect(at(after, 0).at - throttled.at).toBeGreaterThanOrEqual(2000);
  after.slice(1).forEach((c, i) => expect(c.at - at(after, i).at).toBeGreaterThanOrEqual(100));
});

test('stop() does not wait out a long Retry-After: the sends held by it stay queued', async () => {
  const m = messenger((j) =>
    j.id.endsWith(':1') ? { outcome: 'retry', retryAfterMs: 60_000, error: '429' } : { outcome: 'sent' },
  );
  const shutdown: { stopping?: Promise<void> } = {};
  const started = now;
  const outbox: Outbox = new Outbox(store, m, {
    ratePerSec: 10,
    clock,
    sleep: async (ms) => {
      now += ms;
      // The first wait after the 429: the bot is asked to shut down.
      if (m.calls.length) shutdown.stopping ??= outbox.stop();
    },
  });
  await outbox.enqueue([1, 2, 3].map(job));
  await outbox.drain();
  await shutdown.stopping;
  expect(m.calls.map((c) => c.id)).toEqual(['invite:r1:1']);
  expect(now - started).toBeLessThan(60_000);
  expect(await store.recover()).toBe(0);
  expect((await store.list('r1')).map((j) => j.status)).toEqual(['pending', 'pending', 'pending']);
});

test('gives up after the last attempt, and never retries an unreachable user', async () => {
  const m = messenger((j) =>
    j.id.endsWith(':1')
      ? { outcome: 'unreachable', error: '403 MessageWritesBlocked' }
      : { outcome: 'retry', error: '502' },
  );
  const outbox = new Outbox(store, m, { ratePerSec: 100, clock, sleep, random: () => 0 });
  await outbox.enqueue([job(1), job(2)]);
  for (let i = 0; i < MAX_ATTEMPTS + 2; i++) await outbox.drain();
  const jobs = await store.list('r1');
  expect(jobs.map((j) => j.status)).toEqual(['unreachable', 'failed']);
  expect(m.calls.filter((c) => c.id.endsWith(':1'))).toHaveLength(1);
  expect(m.calls.filter((c) => c.id.endsWith(':2'))).toHaveLength(MAX_ATTEMPTS);
});

test('after a crash mid-send the job is not sent again; one only claimed is sent; the rest resume', async () => {
  await store.enqueue([job(1), job(2), job(3), job(4)]);
  expect(await store.claim('invite:r1:1', clock())).toBe(true);
  await store.markStarted('invite:r1:1', clock());
  expect(await store.claim('invite:r1:4', clock())).toBe(true);
  // The process dies here: job 1 was on its way out, job 4 waited for the rate. A new process recovers and drains.
  const restarted = new LowdbOutboxStore(dir);
  expect(await restarted.recover()).toBe(1);
  const m = messenger();
  await new Outbox(restarted, m, { ratePerSec: 100, clock, sleep }).drain();
  expect(m.calls.map((c) => c.id).sort()).toEqual(['invite:r1:2', 'invite:r1:3', 'invite:r1:4']);
  expect((await restarted.list('r1')).map((j) => j.status)).toEqual(['uncertain', 'sent', 'sent', 'sent']);
});

test('concurrent claims of one job: exactly one wins (the embedded store serves one process)', async () => {
  await store.enqueue([job(1)]);
  const claims = await Promise.all(Array.from({ length: 5 }, () => store.claim('invite:r1:1', clock())));
  expect(claims.filter(Boolean)).toHaveLength(1);
});

test('backoff grows and is capped', () => {
  expect(backoffMs(1, () => 1)).toBe(2000);
  expect(backoffMs(3, () => 1)).toBe(8000);
  expect(backoffMs(20, () => 1)).toBe(300000);
  expect(backoffMs(3, () => 0.5)).toBe(4000);
});

test('stop() finishes the messages in flight and leaves the rest queued for the next start', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const delivered: string[] = [];
  let started = 0;
  const outbox = new Outbox(
    store,
    {
      deliver: async (j) => {
        started++;
        await gate;
        delivered.push(j.id);
        return { outcome: 'sent' };
      },
    },
    { ratePerSec: 1000, clock, sleep, maxInFlight: 2 },
  );
  await outbox.enqueue([job(1), job(2), job(3)]);
  const draining = outbox.drain();
  await until('two sends started', () => started === 2);
  const stopping = outbox.stop();
  release();
  await Promise.all([draining, stopping]);
  expect(delivered).toEqual(['invite:r1:1', 'invite:r1:2']);
  expect((await store.list('r1')).map((j) => j.status)).toEqual(['sent', 'sent', 'pending']);
});

test('sends are pipelined: the next job is sent while Teams has not answered the one before', async () => {
  let started = 0;
  let inFlight = 0;
  let most = 0;
  let release!: () => void;
  const answered = new Promise<void>((resolve) => {
    release = resolve;
  });
  const outbox = new Outbox(
    store,
    {
      deliver: async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        started++;
        await answered;
        inFlight--;
        return { outcome: 'sent' };
      },
    },
    { ratePerSec: 1000, clock, sleep },
  );
  await outbox.enqueue([job(1), job(2), job(3), job(4)]);
  const draining = outbox.drain();
  // One at a time, the first send would wait for its answer for ever, and the wait for four fails.
  await until('four sends started', () => started === 4);
  release();
  const report = await draining;
  expect(most).toBe(4);
  expect(report.sent).toBe(4);
  expect((await store.list('r1')).map((j) => j.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
});

/** A promise with its resolve, to hold a step of the drain until the test lets it go on. */
function held(): { promise: Promise<void>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

test('recovery during a drain leaves the job being sent alone: after a crash mid-send it is uncertain, never sent again', async () => {
  const rate = held();
  const wire = held();
  const delivered: string[] = [];
  const gate = {
    reserve: async () => {
      await rate.promise;
      return { waitMs: 0, pausedMs: 0 };
    },
    pause: () => 0,
  };
  const outbox = new Outbox(
    store,
    {
      deliver: async (j) => {
        delivered.push(j.id);
        await wire.promise;
        return { outcome: 'sent' };
      },
    },
    { ratePerSec: 1, gate, clock, sleep },
  );
  await outbox.enqueue([job(1)]);
  const draining = outbox.drain();
  await until('the job is being sent', async () => at(await store.list('r1'), 0, 'job').status === 'sending');
  // The scheduler's tick recovers while the job waits for the rate: it is this process's, it stays "sending".
  expect(await store.recover()).toBe(0);
  expect(at(await store.list('r1'), 0, 'job').status).toBe('sending');
  rate.release();
  await until('the job delivered', () => delivered.length === 1);
  expect(await store.recover()).toBe(0);
  expect(delivered).toEqual(['invite:r1:1']);
  // The process dies while the message is on the wire. The next one must not send it again.
  const restarted = new LowdbOutboxStore(dir);
  expect(await restarted.recover()).toBe(1);
  expect(await restarted.due(clock(), 10)).toEqual([]);
  expect(at(await restarted.list('r1'), 0, 'job').status).toBe('uncertain');
  wire.release();
  await draining;
});

test('a delivery whose bookkeeping fails for a moment is recorded once the store works again, and not sent again', async () => {
  const finish = store.finish.bind(store);
  let failures = 2;
  store.finish = async (id, change) => {
    if (failures-- > 0) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    return finish(id, change);
  };
  let recordFailures = 1;
  const recorded: string[] = [];
  const m = {
    ...messenger(),
    recordDelivery: async (j: OutboxJob) => {
      if (recordFailures-- > 0) throw new Error('the key store is unavailable');
      recorded.push(j.id);
    },
  };
  const outbox = new Outbox(store, m, { ratePerSec: 100, clock, sleep });
  await outbox.enqueue([job(1), job(2)]);
  expect(await outbox.drain()).toEqual({ sent: 2, retried: 0, failed: 0, unreachable: 0 });
  expect(m.calls.map((c) => c.id)).toEqual(['invite:r1:1', 'invite:r1:2']);
  expect(recorded).toEqual(['invite:r1:1', 'invite:r1:2']);
  expect((await store.list('r1')).map((j) => j.status)).toEqual(['sent', 'sent']);
});

test('a delivery whose bookkeeping keeps failing becomes uncertain at the next recovery, never pending, never resent', async () => {
  const finish = store.finish.bind(store);
  let broken = true;
  store.finish = async (id, change) => {
    if (broken) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    return finish(id, change);
  };
  const m = messenger();
  const outbox = new Outbox(store, m, { ratePerSec: 100, clock, sleep });
  await outbox.enqueue([job(1)]);
  await expect(outbox.drain()).rejects.toThrow(/EIO/);
  broken = false;
  expect(await store.recover()).toBe(1);
  await outbox.drain();
  expect(m.calls.map((c) => c.id)).toEqual(['invite:r1:1']);
  expect(at(await store.list('r1'), 0, 'job').status).toBe('uncertain');
});
