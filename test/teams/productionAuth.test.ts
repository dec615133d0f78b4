/**
 * The Bot Framework JWT check as production runs it, offline: a small OpenID metadata and key server stands in for
 * login.botframework.com (BOT_OPENID_METADATA_URL, the only setting changed) and signs the tokens. Issuer, audience,
 * expiry, signature and serviceUrl checks are botbuilder's own, with production's values. Activities ask for
 * `expectReplies`, so the bot's answers come back in the HTTP response and nothing is sent to a connector.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../src/config/env.js';
import { loadContent } from '../../src/content/load.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { openStores } from '../../src/storage/open.js';

const APP_ID = '3f1c2a7e-0d1b-4c55-9a3e-7f00c0ffee01';
const ISSUER = 'https://api.botframework.com';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
const KID = 'test-key-1';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });

let dir: string;
let keyServer: Server;
let bot: RunningServer;
let metadataHits = 0;

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT as the Bot Connector sends it, RS256, with the claims changed as given. */
function token(claims: Record<string, unknown> = {}, key: KeyObject = keys.privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'RS256', typ: 'JWT', kid: KID })}.${b64({ iss: ISSUER, aud: APP_ID, serviceurl: SERVICE_URL, nbf: now - 60, iat: now - 60, exp: now + 3600, ...claims })}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(key).toString('base64url')}`;
}

async function post(authorization: string | null): Promise<{ status: number; body: string }> {
  const activity = {
    type: 'message',
    id: 'm1',
    text: 'hoi',
    locale: 'nl-NL',
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    deliveryMode: 'expectReplies',
    from: { id: '29:user', name: 'Sam', aadObjectId: '0b5e9f2c-1111-4d7e-9a9a-0123456789ab' },
    recipient: { id: `28:${APP_ID}`, name: 'Wijzer' },
    conversation: { id: 'a:personal-1', tenantId: 'tenant-a', conversationType: 'personal', isGroup: false },
    channelData: { tenant: { id: 'tenant-a' } },
  };
  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization === null ? {} : { authorization }) },
    body: JSON.stringify(activity),
  });
  return { status: res.status, body: await res.text() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-auth-'));
  keyServer = createServer((req, res) => {
    const base = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') {
      metadataHits++;
      res.end(
        JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }),
      );
    } else if (req.url === '/keys') {
      res.end(
        JSON.stringify({
          keys: [{ ...keys.publicKey.export({ format: 'jwk' }), kid: KID, use: 'sig', endorsements: ['msteams'] }],
        }),
      );
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
  const metadata = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/.well-known/openid-configuration`;
  const config = readConfig({
    PORT: '0',
    DATA_DIR: join(dir, 'data'),
    KEY_DIR: join(dir, 'keys'),
    WIJZER_QUIET: '1',
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'not-used-offline',
    MicrosoftAppType: 'MultiTenant',
    ALLOWED_TENANT_IDS: 'tenant-a',
    BOT_OPENID_METADATA_URL: metadata,
  });
  // Production seeds no pilot round: a researcher would have started one; here the pilot's content, as a real round.
  const stores = await openStores(config);
  await seedRounds(loadContent(config.CONTENT_DIR), stores.answers, new Date(), { local: true });
  bot = await startServer(config, stores);
});

afterAll(async () => {
  await bot?.close();
  await new Promise((resolve) => keyServer?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

test("a token signed by the channel's key, for this bot and this serviceUrl, reaches the interview", async () => {
  const { status, body } = await post(`Bearer ${token()}`);
  expect(status).toBe(200);
  expect(body).toMatch(/Stap 1 van 13/);
  expect(metadataHits).toBeGreaterThan(0);
});

const refused: [string, () => string | null][] = [
  ['no token', () => null],
  ['an empty bearer', () => 'Bearer '],
  [
    'an expired token',
    () => 'Bearer ' + token({ exp: Math.floor(Date.now() / 1000) - 3600, nbf: Math.floor(Date.now() / 1000) - 7200 }),
  ],
  ['a token signed with another key under the same key id', () => `Bearer ${token({}, stranger.privateKey)}`],
  ['a token for another bot (audience)', () => `Bearer ${token({ aud: 'another-app-id' })}`],
  ['a token from another issuer', () => `Bearer ${token({ iss: 'https://login.evil.example' })}`],
  [
    "a token whose serviceUrl claim differs from the activity's",
    () => `Bearer ${token({ serviceurl: 'https://connector.evil.example/' })}`,
  ],
  [
    'an unsigned token (alg none)',
    () =>
      `Bearer ${b64({ alg: 'none', typ: 'JWT', kid: KID })}.${b64({ iss: ISSUER, aud: APP_ID, serviceurl: SERVICE_URL, exp: Math.floor(Date.now() / 1000) + 3600 })}.`,
  ],
];

test.each(refused)('%s gets 401 and no answer from the bot', async (_name, authorization) => {
  const { status, body } = await post(authorization());
  expect(status).toBe(401);
  expect(body).not.toMatch(/Stap|activities/);
});
