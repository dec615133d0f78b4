import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import type { JobKind, OutboxJob } from '../../src/ports/outbox.js';
import type { ConversationTarget, Stores } from '../../src/ports/stores.js';
import { recordDelivery } from '../../src/research/deliveries.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';

const PSEUDONYM = 'd'.repeat(64);
const target: ConversationTarget = {
  channelId: 'msteams',
  serviceUrl: 'https://smba.example',
  tenantId: 'tenant',
  userId: '29:someone',
};
let dir: string;
let stores: Stores;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-deliveries-'));
  stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
});

afterEach(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

function jobOf(kind: JobKind): OutboxJob {
  const at = new Date().toISOString();
  const pseudonym = kind === 'digest' ? '' : PSEUDONYM;
  const id = `${kind}:r1:${PSEUDONYM}`;
  return { id, kind, roundId: 'r1', pseudonym, target, status: 'sending', attempts: 1, notBefore: at, createdAt: at };
}

test.each([
  { kind: 'invite' as const, queued: true, invited: true, chat: 'a:new-chat' },
  { kind: 'remind' as const, queued: true, invited: false, chat: 'a:new-chat' },
  { kind: 'digest' as const, queued: true, invited: false, chat: undefined },
  { kind: 'invite' as const, queued: false, invited: false, chat: undefined },
])('a delivered $kind job (queued: $queued): invitedAt $invited, chat $chat', async (row) => {
  const { kind, queued, invited, chat } = row;
  const job = jobOf(kind);
  if (queued) await stores.outbox.enqueue([job]);

  await recordDelivery(stores, job, 'a:new-chat');

  expect(Boolean((await stores.keys.lookup(PSEUDONYM, 'r1'))?.invitedAt)).toBe(invited);
  expect((await stores.keys.target(PSEUDONYM))?.conversationId).toBe(chat);
});

test('an invitation already recorded keeps its first invitedAt', async () => {
  const job = jobOf('invite');
  await stores.outbox.enqueue([job]);
  await stores.keys.update(PSEUDONYM, 'r1', () => ({ invitedAt: '2026-01-01T00:00:00.000Z' }));

  await recordDelivery(stores, job, undefined);

  expect((await stores.keys.lookup(PSEUDONYM, 'r1'))?.invitedAt).toBe('2026-01-01T00:00:00.000Z');
});

test('an invitation that opened a new chat records it with the invitation, in one key-store write', async () => {
  const job = jobOf('invite');
  await stores.outbox.enqueue([job]);
  const writes: string[] = [];
  const { keys } = stores;
  const counted: Stores = {
    ...stores,
    keys: Object.assign(Object.create(keys) as typeof keys, {
      update: (...args: Parameters<typeof keys.update>) => (writes.push('update'), keys.update(...args)),
      saveTarget: (...args: Parameters<typeof keys.saveTarget>) => (
        writes.push('saveTarget'),
        keys.saveTarget(...args)
      ),
    }),
  };

  await recordDelivery(counted, job, 'a:new-chat');

  expect(writes).toEqual(['update']);
  expect((await stores.keys.target(PSEUDONYM))?.conversationId).toBe('a:new-chat');
  expect((await stores.keys.lookup(PSEUDONYM, 'r1'))?.invitedAt).toBeDefined();
});
