import { join } from 'node:path';
import type { SignedExportLinks } from '../../src/research/exportLinks.js';
import type { ResearchPlace, ResearchReply, ResearchService } from '../../src/research/researchService.js';
import type { Stores } from '../../src/ports/stores.js';
import { record, SPECS } from '../digest/fixtures.js';
import { openResearchRig, type ResearchRig } from '../support/researchRig.js';
import { at, only } from '../support/defined.js';

const SECRET = Buffer.alloc(32, 5);
const RESEARCHER = '11111111-2222-3333-4444-555555555555';
const URL_IN = /https?:\/\/\S+\/exports\//;

let dir: string;
let stores: Stores;
let now: Date;
let links: SignedExportLinks;
let service: ResearchService;
let rig: ResearchRig;

beforeEach(async () => {
  now = new Date('2026-11-25T10:00:00Z');
  rig = await openResearchRig({ secret: SECRET, researchers: [RESEARCHER], now: () => now, linkMinutes: 10 });
  ({ dir, stores, links, service } = rig);
  for (const spec of Object.values(SPECS))
    await stores.answers.createInterview('default', (code) => ({ ...record(code, spec), rev: 1 }));
});
afterEach(() => rig.close());

const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);
const textOf = (replies: ResearchReply[]) => replies.map((r) => ('text' in r ? r.text : '')).join('\n');

test('a link opens its file once; a second open, even at the same moment, gets nothing', async () => {
  const first = at(await links.links('default', 'csv'), 0, 'csv link');
  const token = tokenOf(first.url);
  const opened = await Promise.all([links.open(token), links.open(token), links.open(token)]);
  expect(opened.filter(Boolean).map((f) => f!.name)).toEqual([first.name]);
  expect(await links.open(token)).toBeNull();
});

test('a link works for the configured minutes only', async () => {
  const csvLinks = await links.links('default', 'csv');
  const [first, second] = [at(csvLinks, 0, 'csv link'), at(csvLinks, 1, 'csv link')];
  now = new Date(now.getTime() + 9 * 60_000);
  expect(await links.open(tokenOf(first.url))).not.toBeNull();
  now = new Date(now.getTime() + 2 * 60_000);
  expect(await links.open(tokenOf(second.url))).toBeNull();
});

test('the key store keeps a hash of the link, not the link', async () => {
  const first = at(await links.links('default', 'csv'), 0, 'csv link');
  const { readFileSync, readdirSync } = await import('node:fs');
  const stored = readdirSync(join(dir, 'keys'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
  const body = at(tokenOf(first.url).split('.'), 0, 'token part');
  const { jti } = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { jti: string };
  expect(stored).not.toContain(jti);
  expect(stored).not.toContain(tokenOf(first.url));
});

describe.each(['export', 'analyse'] as const)('%s outside a 1:1 chat', (kind) => {
  const command =
    kind === 'export'
      ? { kind: 'export' as const, id: 'default', format: 'csv' as const }
      : { kind: 'analyse' as const, id: 'default' };
  const channel = (privately?: ResearchPlace['privately']): ResearchPlace => ({
    tenantId: 'tenant-1',
    serviceUrl: 'http://connector',
    channelId: 'msteams',
    botId: 'bot',
    conversationType: 'channel',
    conversationId: '19:channel',
    actorId: RESEARCHER,
    privately,
  });

  test("the links go to the researcher's 1:1 chat; the channel only hears that they were sent", async () => {
    const sentPrivately: ResearchReply[][] = [];
    const replies = await service.handle(
      command,
      'nl',
      channel(async (r) => (sentPrivately.push(r), true)),
    );
    expect(textOf(replies)).not.toMatch(URL_IN);
    expect(textOf(replies)).toMatch(/1-op-1 chat gestuurd/);
    expect(sentPrivately).toHaveLength(1);
    expect(textOf(only(sentPrivately, 'private send'))).toMatch(URL_IN);
  });

  test('when the 1:1 chat cannot be opened, no link is posted and the researcher is told where to ask', async () => {
    for (const place of [
      channel(async () => false),
      channel(async () => {
        throw new Error('403');
      }),
      channel(undefined),
      { ...channel(undefined), conversationType: 'groupChat' },
    ]) {
      const replies = await service.handle(command, 'en', place);
      expect(textOf(replies)).not.toMatch(URL_IN);
      expect(textOf(replies)).toMatch(/Open the chat with Wijzer and ask there/);
    }
  });

  test('in the 1:1 chat the links are the reply', async () => {
    const replies = await service.handle(command, 'nl', { ...channel(undefined), conversationType: 'personal' });
    expect(textOf(replies)).toMatch(URL_IN);
  });
});
