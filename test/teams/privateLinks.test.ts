/**
 * "export" typed in a team channel, through the real server and a stand-in Bot Connector (local mode): the channel
 * hears that the links were sent privately, and the links arrive in a 1:1 chat the bot opens with the researcher.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../src/config/env.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { openStores } from '../../src/storage/open.js';
import { content, record, SPECS } from '../digest/fixtures.js';

const RESEARCHER = '11111111-2222-3333-4444-555555555555';
const URL_IN = /https?:\/\/\S+\/exports\//;

interface Posted {
  path: string;
  body: { text?: string; members?: { id: string }[]; isGroup?: boolean };
}

let dir: string;
let connector: Server;
let connectorUrl: string;
let bot: RunningServer;
let posted: Posted[] = [];
let refuseCreate = false;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-private-'));
  connector = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString('utf8')));
    req.on('end', () => {
      posted.push({ path: req.url ?? '', body: data ? JSON.parse(data) : {} });
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v3/conversations') {
        res.statusCode = refuseCreate ? 403 : 200;
        res.end(JSON.stringify(refuseCreate ? { error: { code: 'MessageWritesBlocked' } } : { id: 'a:private-1' }));
      } else {
        res.end(JSON.stringify({ id: `sent-${posted.length}` }));
      }
    });
  });
  await new Promise<void>((resolve) => connector.listen(0, '127.0.0.1', resolve));
  connectorUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;
  const config = readConfig({
    WIJZER_LOCAL: '1',
    WIJZER_QUIET: '1',
    PORT: '0',
    DATA_DIR: join(dir, 'data'),
    KEY_DIR: join(dir, 'keys'),
    RESEARCHER_IDS: RESEARCHER,
    SCHEDULER_INTERVAL_SEC: '3600',
  });
  const stores = await openStores(config);
  await seedRounds(content, stores.answers, new Date());
  for (const spec of Object.values(SPECS))
    await stores.answers.createInterview('default', (code) => ({ ...record(code, spec), rev: 1 }));
  bot = await startServer(config, stores);
});

afterAll(async () => {
  await bot?.close();
  await new Promise((resolve) => connector?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function inChannel(text: string): Promise<void> {
  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id: 'm1',
      text,
      locale: 'nl-NL',
      channelId: 'msteams',
      serviceUrl: connectorUrl,
      from: { id: '29:researcher', name: 'Onderzoeker', aadObjectId: RESEARCHER },
      recipient: { id: '28:wijzer', name: 'Wijzer' },
      conversation: {
        id: '19:academie@thread.tacv2;messageid=1',
        conversationType: 'channel',
        isGroup: true,
        tenantId: 'tenant-1',
      },
      channelData: {
        tenant: { id: 'tenant-1' },
        team: { id: '19:team@thread.tacv2' },
        channel: { id: '19:academie@thread.tacv2' },
      },
    }),
  });
  expect(res.status).toBeLessThan(300);
}

const textsTo = (conversation: string) =>
  posted
    .filter((p) => decodeURIComponent(p.path).startsWith(`/v3/conversations/${conversation}`))
    .map((p) => p.body.text ?? '')
    .join('\n');

test('in a channel the links go to a 1:1 chat with the researcher; the channel hears only that', async () => {
  posted = [];
  await inChannel('<at>Wijzer</at> export default csv');
  const created = posted.find((p) => p.path === '/v3/conversations');
  expect(created?.body).toMatchObject({ isGroup: false, members: [{ id: '29:researcher' }] });
  expect(textsTo('a:private-1')).toMatch(URL_IN);
  const channel = textsTo('19:academie@thread.tacv2');
  expect(channel).toMatch(/1-op-1 chat gestuurd/);
  expect(channel).not.toMatch(URL_IN);
});

test('when Teams refuses the 1:1 chat, the channel gets no link, and is told where to ask', async () => {
  posted = [];
  refuseCreate = true;
  try {
    await inChannel('<at>Wijzer</at> analyse default');
  } finally {
    refuseCreate = false;
  }
  const everything = posted.map((p) => p.body.text ?? '').join('\n');
  expect(everything).not.toMatch(URL_IN);
  expect(textsTo('19:academie@thread.tacv2')).toMatch(/Open de chat met Wijzer/);
});
