import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import type { DeliveryResult, Messenger, OutboxJob } from '../../src/ports/outbox.js';
import type { Stores } from '../../src/ports/stores.js';
import { openOutbox, startScheduler } from '../../src/research/backgroundStart.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';

let dir: string;
let stores: Stores;
const delivered: string[] = [];
const messenger: Messenger = {
  async deliver(job): Promise<DeliveryResult> {
    delivered.push(job.id);
    return { outcome: 'sent' };
  },
};

beforeEach(() => {
  delivered.length = 0;
  dir = mkdtempSync(join(tmpdir(), 'wijzer-background-'));
  stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
});

afterEach(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

function digestJob(id: string): OutboxJob {
  const at = new Date(Date.now() - 1000).toISOString();
  const target = { channelId: 'msteams', serviceUrl: 'https://smba.example', tenantId: 'tenant', userId: '19:channel' };
  return { id, kind: 'digest', roundId: 'r1', pseudonym: '', target, period: 'final', status: 'pending', attempts: 0, notBefore: at, createdAt: at };
}

test('opening the outbox settles a send a crash interrupted: it is not sent again', async () => {
  await stores.outbox.enqueue([digestJob('digest:r1:final:0')]);
  await stores.outbox.claim('digest:r1:final:0', new Date());
  await stores.outbox.markStarted('digest:r1:final:0', new Date());
  // The process that was sending stops; the next one opens the same stores.
  await stores.close();
  stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));

  const outbox = await openOutbox(stores, messenger, { ratePerSec: 50 });
  await outbox.drain();

  expect((await stores.outbox.get('digest:r1:final:0'))?.status).toBe('uncertain');
  expect(delivered).toEqual([]);
  await outbox.stop();
});

test('the scheduler started on the outbox sends what is due on its first tick', async () => {
  await stores.outbox.enqueue([digestJob('digest:r1:final:1')]);
  const outbox = await openOutbox(stores, messenger, { ratePerSec: 50 });

  const scheduler = startScheduler(stores, outbox, 3600);
  await scheduler.idle();
  await scheduler.stop();

  expect(delivered).toEqual(['digest:r1:final:1']);
  await outbox.stop();
});
