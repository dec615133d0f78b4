import { queueDueDigests } from '../../src/research/digestQueue.js';
import { Outbox } from '../../src/research/outbox/outbox.js';
import type { OutboxJob } from '../../src/ports/outbox.js';
import { keyHousekeeping } from '../../src/research/retention.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import type { ConversationTarget, Stores } from '../../src/ports/stores.js';
import { content } from '../support/context.js';
import { STORE_KINDS } from './storeKinds.js';

/** After retention destroyed a round's keys, a restart sends nothing of that round again and recreates nothing. */
const CHANNEL: ConversationTarget = {
  channelId: 'msteams',
  serviceUrl: 'https://smba.example/emea/',
  tenantId: 'tenant-x',
  userId: '',
  conversationId: '19:academie@thread.tacv2',
  conversationType: 'channel',
};
const closedAt = '2026-01-15T12:00:00.000Z';
const later = new Date('2027-06-01T00:00:00Z'); // Past the retention months.
const P = 'd'.repeat(64);

describe.each(STORE_KINDS)('retention on the $name store', (kind) => {
  let opened: Awaited<ReturnType<typeof kind.open>>;
  let stores: Stores;
  const delivered: OutboxJob[] = [];
  const outbox = () =>
    new Outbox(
      stores.outbox,
      {
        deliver: async (job) => {
          delivered.push(job);
          return { outcome: 'sent' };
        },
      },
      { ratePerSec: 1000 },
    );

  beforeEach(async () => {
    delivered.length = 0;
    opened = await kind.open();
    stores = opened.stores;
    await seedRounds(content, stores.answers, new Date('2026-01-01T00:00:00Z'));
    const round = (await stores.answers.getRound('default'))!;
    await stores.answers.saveRound({ ...round, status: 'closed', closedAt, retentionMonths: 12 });
    await stores.keys.addDigestChannel('default', CHANNEL);
    await stores.keys.update(P, 'default', () => ({ code: 'A' }));
    await stores.keys.saveTarget(P, {
      ...CHANNEL,
      userId: '29:p',
      conversationId: 'a:p',
      conversationType: 'personal',
    });
    // The final digest went out when the round closed.
    const box = outbox();
    expect(await queueDueDigests(stores, box, new Date('2026-01-16T00:00:00Z'))).toBe(1);
    await box.drain();
    expect(delivered.map((j) => j.period)).toEqual(['final']);
    delivered.length = 0;
  });
  afterEach(() => opened.dispose());

  test('a restart after the keys were destroyed does not send the final digest again', async () => {
    await keyHousekeeping(stores, later);
    expect((await stores.answers.getRound('default'))?.keysDestroyedAt).toBe(later.toISOString());
    // Restart: the rounds of the content files are seeded again, then the scheduler runs.
    await seedRounds(content, stores.answers, later);
    expect((await stores.answers.getRound('default'))?.keysDestroyedAt).toBe(later.toISOString());
    const box = outbox();
    await keyHousekeeping(stores, later);
    expect(await queueDueDigests(stores, box, later)).toBe(0);
    await box.drain();
    expect(delivered).toEqual([]);
    expect(await stores.keys.digestChannels('default')).toEqual([]);
    expect(await stores.outbox.list('default')).toEqual([]);
    expect(await stores.keys.participants('default')).toEqual([]);
    expect(await stores.keys.target(P)).toBeNull();
  });

  test('a destruction interrupted half-way sends nothing again, and completes at the next start', async () => {
    const removeRound = stores.outbox.removeRound.bind(stores.outbox);
    stores.outbox.removeRound = async () => {
      throw new Error('connection reset');
    };
    await expect(keyHousekeeping(stores, later)).rejects.toThrow('connection reset');
    stores.outbox.removeRound = removeRound;
    const box = outbox();
    expect(await queueDueDigests(stores, box, later)).toBe(0);
    await box.drain();
    expect(delivered).toEqual([]);
    await keyHousekeeping(stores, later);
    expect((await stores.answers.getRound('default'))?.keysDestroyedAt).toBe(later.toISOString());
    expect(await opened.dump()).not.toContain('19:academie');
  });
});
