import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { MockConnector } from '../../scripts/support/mockConnector.js';
import { createRecord } from '../../src/interview/engine.js';
import { withdraw } from '../../src/interview/withdrawal.js';
import type { OutboxJob } from '../../src/ports/outbox.js';
import type { RunningServer } from '../../src/server.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import type { ConversationTarget, Stores } from '../../src/ports/stores.js';
import { until } from '../support/until.js';
import { contextFor } from '../support/context.js';
import { startLocalServer, type LocalServer } from '../support/localServer.js';

/**
 * An invitation is on its way (the Bot Connector has not answered yet) when the participant withdraws: the send
 * finishes, but its bookkeeping must not bring back a key entry or a chat target.
 */
const P = 'e'.repeat(64);
let local: LocalServer | undefined;
let connector: MockConnector;
let server: RunningServer;
let stores: Stores;

beforeAll(async () => {
  local = await startLocalServer('bookkeeping', {
    env: { SCHEDULER_INTERVAL_SEC: '1' },
    connector: { latencyMs: 1500 },
    stores: (dataDir, keyDir) => (stores = openLowdbStores(dataDir, keyDir)),
  });
  ({ server, connector } = local);
});

afterAll(() => local?.close());

test('a withdrawal while an invitation is being sent: nothing of the participant is recreated', async () => {
  const target: ConversationTarget = {
    channelId: 'msteams',
    serviceUrl: connector.url,
    tenantId: 'tenant-x',
    userId: '29:leaver',
    conversationId: 'a:leaver-chat',
    conversationType: 'personal',
  };
  const base = (await stores.answers.getRound('default'))!;
  await stores.answers.saveRound({ ...base, id: 'later', audience: 'invite' });
  const record = await stores.answers.createInterview('default', (code) =>
    createRecord(contextFor(), code, false, null),
  );
  await stores.keys.update(P, 'default', () => ({ code: record.code }));
  await stores.keys.saveTarget(P, target);
  const at = new Date().toISOString();
  const job: OutboxJob = {
    id: `invite:later:${P}`,
    kind: 'invite',
    roundId: 'later',
    pseudonym: P,
    target,
    status: 'pending',
    attempts: 0,
    notBefore: at,
    createdAt: at,
  };
  await stores.outbox.enqueue([job]);

  await until('the invitation is being sent', async () => (await stores.outbox.get(job.id))?.startedAt, 10_000);
  await withdraw(stores, P, ['default'], new Date());
  expect(await stores.keys.entries(P)).toEqual({});
  // Whether the message left before the withdrawal reached it or not: let the tick sending it end (the connector
  // answers after 1.5 s, then the send's bookkeeping runs), and one more tick pass.
  await server.scheduler.idle();
  await server.scheduler.tick();
  expect(await stores.keys.entries(P)).toEqual({});
  expect(await stores.keys.target(P)).toBeNull();
  expect(await stores.outbox.get(job.id)).toBeNull();
});
