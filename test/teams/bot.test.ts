import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestAdapter, type Activity } from 'botbuilder';
import { InterviewSession } from '../../src/interview/session.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import type { Stores } from '../../src/ports/stores.js';
import { admissionOf } from '../../src/teams/admission.js';
import { WijzerBot } from '../../src/teams/bot.js';
import { CardTemplates } from '../../src/teams/cardTemplates.js';
import { InterviewDialog } from '../../src/teams/interviewDialog.js';
import { content } from '../support/context.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-bot-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

let stores: Stores;

/** Local mode unless `withCredentials`: then the rules of a bot with Azure credentials apply. */
async function adapterFor(allowedTenants: string[], withCredentials = false): Promise<TestAdapter> {
  stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
  await seedRounds(content, stores.answers, new Date());
  const bot = new WijzerBot(
    new InterviewDialog(
      new InterviewSession(content, stores, Buffer.alloc(32, 2)),
      new CardTemplates(),
      Buffer.alloc(32, 1),
    ),
    admissionOf({ localMode: !withCredentials, ALLOWED_TENANT_IDS: allowedTenants }),
  );
  return new TestAdapter((context) => bot.run(context));
}

/**
 * TestAdapter runs a turn to its end before send() settles, so a reply would be queued by then: checked at once,
 * instead of botbuilder's assertNoReply, which polls for three seconds.
 */
async function expectNoReply(adapter: TestAdapter, activity: Partial<Activity>): Promise<void> {
  await adapter.send(activity);
  expect(adapter.activeQueue).toEqual([]);
}

async function interviewCount(): Promise<number> {
  let count = 0;
  for (const round of await stores.answers.listRounds())
    for await (const _ of stores.answers.listInterviews(round.id)) count++;
  return count;
}

/** A 1:1 message as Teams sends it: channel msteams, the tenant on the conversation, the user's Entra object id. */
const teams = (changes: Partial<Activity> = {}): Partial<Activity> => ({
  type: 'message',
  text: 'hoi',
  locale: 'nl-NL',
  channelId: 'msteams',
  from: { id: '29:user', name: 'Sam', aadObjectId: '0b5e9f2c-1111-4d7e-9a9a-0123456789ab' },
  conversation: { id: 'a:1', tenantId: 'tenant-a', isGroup: false, conversationType: 'personal', name: '' },
  channelData: { tenant: { id: 'tenant-a' } },
  ...changes,
});

const message = (tenantId: string): Partial<Activity> => ({
  type: 'message',
  text: 'hoi',
  locale: 'nl-NL',
  conversation: { id: 'c1', tenantId, isGroup: false, conversationType: 'personal', name: '' },
});

test('activities from a tenant outside ALLOWED_TENANT_IDS are ignored', async () => {
  await expectNoReply(await adapterFor(['tenant-a']), message('tenant-b'));
});

test('activities from an allowed tenant reach the interview', async () => {
  await (await adapterFor(['tenant-a'])).send(message('tenant-a')).assertReply((reply) => {
    expect(JSON.stringify(reply.attachments)).toMatch(/Stap 1 van 13/);
  });
});

test('without an allow-list every tenant is served', async () => {
  await (
    await adapterFor([])
  )
    .send(message('tenant-z'))
    .assertReply((reply) => expect(reply.attachments).toHaveLength(1));
});

describe('with credentials', () => {
  test('a Teams message from an allowed tenant reaches the interview', async () => {
    await (
      await adapterFor(['tenant-a'], true)
    )
      .send(teams())
      .assertReply((reply) => expect(JSON.stringify(reply.attachments)).toMatch(/Stap 1 van 13/));
  });

  test('another channel than msteams is ignored', async () => {
    await expectNoReply(await adapterFor(['tenant-a'], true), teams({ channelId: 'directline' }));
    expect(await interviewCount()).toBe(0);
  });

  test("the tenant is the conversation's: one named only in channelData, or a different one there, is ignored", async () => {
    const adapter = await adapterFor(['tenant-a'], true);
    await expectNoReply(
      adapter,
      teams({ conversation: { id: 'a:1', isGroup: false, conversationType: 'personal', name: '' } }),
    );
    await expectNoReply(
      adapter,
      teams({
        conversation: { id: 'a:1', tenantId: 'tenant-b', isGroup: false, conversationType: 'personal', name: '' },
        channelData: { tenant: { id: 'tenant-a' } },
      }),
    );
    await expectNoReply(adapter, teams({ channelData: { tenant: { id: 'tenant-b' } } }));
    expect(await interviewCount()).toBe(0);
  });

  test('a sender without an Entra object id gets a polite answer and no interview', async () => {
    await (
      await adapterFor(['tenant-a'], true)
    )
      .send(teams({ from: { id: '29:guest', name: 'Guest' } }))
      .assertReply((reply) => expect(reply.text).toMatch(/werkaccount/));
    expect(await interviewCount()).toBe(0);
  });

  test('ALLOWED_TENANT_IDS=* serves any tenant, still Teams only', async () => {
    const adapter = await adapterFor(['*'], true);
    await adapter
      .send(
        teams({
          conversation: { id: 'a:1', tenantId: 'tenant-q', isGroup: false, conversationType: 'personal', name: '' },
          channelData: {},
        }),
      )
      .assertReply((reply) => expect(reply.attachments).toHaveLength(1));
  });
});
