import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestAdapter, type Activity } from 'botbuilder';
import { InterviewSession } from '../../src/interview/session.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import { WijzerBot } from '../../src/teams/bot.js';
import { CardTemplates } from '../../src/teams/cardTemplates.js';
import { InterviewDialog } from '../../src/teams/interviewDialog.js';
import { content } from '../support/context.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'wijzer-bot-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function adapterFor(allowedTenants: string[]): Promise<TestAdapter> {
  const stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
  await seedRounds(content, stores.answers, new Date());
  const bot = new WijzerBot(new InterviewDialog(new InterviewSession(content, stores, Buffer.alloc(32, 2)), new CardTemplates(), Buffer.alloc(32, 1)), allowedTenants);
  return new TestAdapter((context) => bot.run(context));
}

const message = (tenantId: string): Partial<Activity> => ({ type: 'message', text: 'hoi', locale: 'nl-NL', conversation: { id: 'c1', tenantId, isGroup: false, conversationType: 'personal', name: '' } });

test('activities from a tenant outside ALLOWED_TENANT_IDS are ignored', async () => {
  await (await adapterFor(['tenant-a'])).send(message('tenant-b')).assertNoReply();
});

test('activities from an allowed tenant reach the interview', async () => {
  await (await adapterFor(['tenant-a'])).send(message('tenant-a')).assertReply((reply) => {
    expect(JSON.stringify(reply.attachments)).toMatch(/Stap 1 van 13/);
  });
});

test('without an allow-list every tenant is served', async () => {
  await (await adapterFor([])).send(message('tenant-z')).assertReply((reply) => expect(reply.attachments).toHaveLength(1));
});
