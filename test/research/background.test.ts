import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from '@jest/globals';
import { Outbox } from '../../src/research/outbox/outbox.js';
import type { OutboxJob, OutboxStore } from '../../src/ports/outbox.js';
import { researchSteps, Scheduler } from '../../src/research/scheduler.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import type { Stores } from '../../src/ports/stores.js';
import { content } from '../support/context.js';

/**
 * Background work (the outbox drains started after invite/remind/digests, the scheduler's tick) never ends the
 * process: a failing store or step is logged and retried on the next tick, and the other steps still run.
 */

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'wijzer-background-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.env.WIJZER_QUIET = '1';
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});
afterEach(() => {
  unhandled = [];
});

const job = (id: string): OutboxJob => ({
  id,
  kind: 'invite',
  roundId: 'default',
  pseudonym: `p-${id}`,
  status: 'pending',
  attempts: 0,
  notBefore: '2020-01-01T00:00:00.000Z',
  createdAt: '2020-01-01T00:00:00.000Z',
  target: {
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:1/',
    tenantId: 't',
    userId: `u-${id}`,
    conversationId: `c-${id}`,
  },
});

/** The store's outbox, with `due` failing while `broken` is set: a disk or database that gives out mid-drain. */
function flaky(store: OutboxStore): OutboxStore & { broken: boolean } {
  const wrapped = Object.create(store) as OutboxStore & { broken: boolean };
  wrapped.broken = true;
  wrapped.due = (now, limit) =>
    wrapped.broken ? Promise.reject(new Error('EIO: i/o error, read')) : store.due(now, limit);
  return wrapped;
}

test('a drain kicked off after queueing, whose store throws, leaves no unhandled rejection and is retried on the next tick', async () => {
  const stores = openLowdbStores(join(tempDir(), 'data'), join(tempDir(), 'keys'));
  const store = flaky(stores.outbox);
  const delivered: string[] = [];
  const outbox = new Outbox(
    store,
    {
      deliver: async (j) => {
        delivered.push(j.id);
        return { outcome: 'sent' };
      },
    },
    { ratePerSec: 1000 },
  );
  await outbox.enqueue([job('a'), job('b')]);
  outbox.kick();
  await new Promise((resolve) => setImmediate(resolve));
  await outbox.drain().catch(() => undefined);
  expect(unhandled).toEqual([]);
  expect(delivered).toEqual([]);

  store.broken = false;
  const scheduler = new Scheduler([{ name: 'outbox.drain', run: async () => void (await outbox.drain()) }]);
  await scheduler.tick();
  expect(delivered.sort()).toEqual(['a', 'b']);
});

test('the scheduler runs every step on its own: one that throws does not stop the others, and it runs again next tick', async () => {
  const ran: string[] = [];
  let failures = 2;
  const scheduler = new Scheduler([
    {
      name: 'outbox.recover',
      run: async () => {
        ran.push('recover');
      },
    },
    {
      name: 'reminders',
      run: async () => {
        ran.push('reminders');
        if (failures-- > 0) throw new SyntaxError('Unexpected end of JSON input');
      },
    },
    {
      name: 'digests',
      run: async () => {
        ran.push('digests');
      },
    },
    {
      name: 'retention',
      run: async () => {
        ran.push('retention');
      },
    },
  ]);
  await expect(scheduler.tick()).resolves.toBeUndefined();
  expect(ran).toEqual(['recover', 'reminders', 'digests', 'retention']);
  ran.length = 0;
  // A second tick asked for while one runs joins it instead of running the steps twice at once.
  await Promise.all([scheduler.tick(), scheduler.tick(), scheduler.idle()]);
  expect(ran).toEqual(['recover', 'reminders', 'digests', 'retention']);
  await scheduler.stop();
  await scheduler.tick();
  expect(ran).toHaveLength(4);
  expect(unhandled).toEqual([]);
});

test("with the bot's own steps, a store that fails for the outbox and the digests does not keep retention from running", async () => {
  const stores = openLowdbStores(join(tempDir(), 'data'), join(tempDir(), 'keys'));
  await seedRounds(content, stores.answers, new Date());
  const round = (await stores.answers.getRound('default'))!;
  await stores.answers.saveRound({
    ...round,
    status: 'closed',
    closedAt: '2020-01-01T00:00:00.000Z',
    retentionMonths: 1,
  });
  await stores.keys.update('ab'.repeat(32), 'default', () => ({ code: 'A', invitedAt: '2020-01-01T00:00:00.000Z' }));
  const broken = (what: string) => () => Promise.reject(new Error(`EIO: ${what}`));
  // A bad file in the outbox and in the participants' chat targets: every step but retention meets it.
  const failing: Stores = {
    ...stores,
    outbox: Object.assign(Object.create(stores.outbox) as typeof stores.outbox, {
      recover: broken('outbox'),
      due: broken('outbox'),
      enqueue: broken('outbox'),
    }),
    keys: Object.assign(Object.create(stores.keys) as typeof stores.keys, {
      digestChannels: broken('channels'),
      target: broken('targets'),
    }),
  };
  const outbox = new Outbox(failing.outbox, { deliver: async () => ({ outcome: 'sent' }) }, { ratePerSec: 1000 });
  const scheduler = new Scheduler(researchSteps(failing, outbox), () => new Date('2026-12-01T12:00:00Z'));
  await scheduler.tick();
  expect((await stores.answers.getRound('default'))?.keysDestroyedAt).toEqual(expect.any(String));
  expect(await stores.keys.participants('default')).toEqual([]);
  expect(unhandled).toEqual([]);
});
