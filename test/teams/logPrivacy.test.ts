import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from '@jest/globals';
import { BotProcess } from '../../scripts/support/botProcess.js';
import {
  CardAutopilot,
  runParticipant,
  teamsActivity,
  type ParticipantIdentity,
} from '../../scripts/support/cardAutopilot.js';
import { freePort } from '../../scripts/support/freePort.js';
import { MockConnector } from '../../scripts/support/mockConnector.js';
import { postActivity } from '../../scripts/support/postActivity.js';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { pseudonymSecret } from '../../src/storage/secret.js';
import { IDENTITY } from '../support/dialogHarness.js';

/**
 * The logs of a whole run of the built bot (an interview, researcher commands, malformed activities, a flood,
 * failing replies) are structured JSON, one correlation id per turn, and hold none of the identities and
 * identifiers the privacy tests use.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'wijzer-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RESEARCHER = {
  aadObjectId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
  name: 'Marijke Onderzoeker',
  email: 'marijke.onderzoeker@wij-groningen.example',
};

test('a whole run logs JSON lines with a correlation id per turn and no identity at all', async () => {
  const connector = await MockConnector.start();
  const keyDir = join(dir, 'keys');
  const bot = await BotProcess.start(
    {
      WIJZER_LOCAL: '1',
      DATA_DIR: join(dir, 'data'),
      KEY_DIR: keyDir,
      CONTENT_DIR: root,
      RESEARCHER_IDS: RESEARCHER.aadObjectId,
      SCHEDULER_INTERVAL_SEC: '1',
      LOG_LEVEL: 'info',
      FLOOD_BURST: '40',
    },
    await freePort(),
  );
  const post = async (activity: unknown) => (await postActivity(bot.url, activity)).status;
  const participant: ParticipantIdentity = {
    userId: IDENTITY.aadObjectId,
    userName: IDENTITY.name,
    conversationId: IDENTITY.conversationId,
    tenantId: IDENTITY.tenantId,
    serviceUrl: connector.url,
  };
  const researcher: ParticipantIdentity = {
    userId: RESEARCHER.aadObjectId,
    userName: RESEARCHER.name,
    conversationId: `a:chat-${RESEARCHER.name.replace(' ', '-')}`,
    tenantId: IDENTITY.tenantId,
    serviceUrl: connector.url,
  };
  try {
    const result = await runParticipant({
      identity: participant,
      send: (activity) => postActivity(bot.url, activity),
      reader: connector,
      autopilot: new CardAutopilot({ seed: 5 }),
    });
    expect(result.completed).toBe(true);
    let n = 0;
    const say = (who: ParticipantIdentity, fields: Record<string, unknown>) =>
      post(teamsActivity(who, `log-${n++}`, fields));
    expect(
      await say(participant, {
        type: 'message',
        text: `Ik ben ${IDENTITY.name}, mail me op fenna.zwartkruis@example.org`,
      }),
    ).toBe(200);
    expect(await say(researcher, { type: 'message', text: `invite default ${RESEARCHER.email}` })).toBe(200);
    expect(await say(researcher, { type: 'message', text: 'status default' })).toBe(200);
    expect(await say(participant, { type: 'message', text: 'help', locale: { name: IDENTITY.name } })).toBe(400);
    expect(await say(participant, { type: 'invoke', name: `task/${IDENTITY.name}` })).toBe(501);
    expect(await say(participant, { type: IDENTITY.name, text: 'help' })).toBe(200);
    // Replies that fail: the connector's error names the conversation in its URL.
    expect(
      await say({ ...participant, serviceUrl: `${connector.url}nowhere/` }, { type: 'message', text: 'help' }),
    ).toBe(200);
    await Promise.all(Array.from({ length: 60 }, () => say(participant, { type: 'message', text: 'verder' })));
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a scheduler tick (every second) with a reminder round
  } finally {
    await bot.kill('SIGTERM');
    await connector.close();
  }

  const lines = bot.output.split('\n').filter((l) => l.trim());
  const records = lines.map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`not a JSON log line: ${line}`);
    }
  });
  const turns = records.filter((r) => r.event === 'turn');
  expect(turns.length).toBeGreaterThan(80);
  for (const t of turns)
    expect(t).toEqual(
      expect.objectContaining({
        turn: expect.any(String),
        ms: expect.any(Number),
        level: 'info',
        at: expect.any(String),
      }),
    );
  expect(new Set(turns.map((t) => t.turn)).size).toBe(turns.length);
  expect(turns.map((t) => t.outcome)).toEqual(expect.arrayContaining(['malformed', 'unusable', 'limited']));
  // An error inside a turn carries that turn's id.
  const failed = records.find((r) => r.event === 'turn.error');
  expect(failed).toBeDefined();
  expect(turns.map((t) => t.turn)).toContain(failed!.turn);

  const secret = pseudonymSecret(undefined, keyDir);
  const forbidden = [
    IDENTITY.userId,
    IDENTITY.aadObjectId,
    IDENTITY.tenantId,
    IDENTITY.conversationId,
    'Fenna',
    'Zwartkruis',
    'fenna.zwartkruis',
    'smba.trafficmanager',
    RESEARCHER.aadObjectId,
    'Marijke',
    RESEARCHER.email,
    researcher.conversationId,
    pseudonymOf(secret, IDENTITY.tenantId, IDENTITY.aadObjectId),
    pseudonymOf(secret, IDENTITY.tenantId, RESEARCHER.aadObjectId),
    secret.toString('hex'),
  ];
  const text = bot.output.toLowerCase();
  for (const value of forbidden)
    expect({ value, found: text.includes(value.toLowerCase()) }).toEqual({ value, found: false });
  // Percent-encoded, as in a URL.
  expect(text.includes(encodeURIComponent(IDENTITY.conversationId).toLowerCase())).toBe(false);
}, 120_000);

test("botbuilder's own error printing goes through the same logger, inside the turn", async () => {
  const bot = await BotProcess.start(
    {
      DATA_DIR: join(dir, 'auth-data'),
      KEY_DIR: join(dir, 'auth-keys'),
      CONTENT_DIR: root,
      LOG_LEVEL: 'info',
      SCHEDULER_INTERVAL_SEC: '3600',
      MicrosoftAppId: '00000000-0000-4000-8000-000000000001',
      MicrosoftAppPassword: 'not-a-real-secret',
      ALLOWED_TENANT_IDS: IDENTITY.tenantId,
    },
    await freePort(),
  );
  try {
    const who = {
      userId: IDENTITY.aadObjectId,
      userName: IDENTITY.name,
      conversationId: IDENTITY.conversationId,
      tenantId: IDENTITY.tenantId,
      serviceUrl: 'http://127.0.0.1:9/',
    };
    // No token: CloudAdapter answers 401 and prints the AuthenticationError with console.error.
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(teamsActivity(who, 'auth-1', { type: 'message', text: 'help' })),
    });
    expect(res.status).toBe(401);
  } finally {
    await bot.kill('SIGTERM');
  }
  const records = bot.output
    .split('\n')
    .filter((l) => l.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const printed = records.find((r) => r.event === 'library.error');
  expect(printed).toEqual(
    expect.objectContaining({
      level: 'error',
      turn: expect.any(String),
      message: expect.stringContaining('Unauthorized'),
    }),
  );
  expect(records.find((r) => r.event === 'turn' && r.turn === printed!.turn)).toEqual(
    expect.objectContaining({ status: 401, outcome: 'unauthorized' }),
  );
  expect(bot.output).not.toContain(IDENTITY.name);
}, 60_000);

test("a dependency's deprecation at start-up is logged as a warning, and nothing as an error", async () => {
  const bot = await BotProcess.start(
    { WIJZER_LOCAL: '1', DATA_DIR: join(dir, 'start-data'), KEY_DIR: join(dir, 'start-keys'), CONTENT_DIR: root },
    await freePort(),
  );
  await bot.kill('SIGTERM');
  const records = bot.output
    .split('\n')
    .filter((l) => l.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(records).toContainEqual(
    expect.objectContaining({
      level: 'warn',
      event: 'process.warning',
      warning: 'DeprecationWarning',
      code: 'DEP0111',
    }),
  );
  expect(records.filter((r) => r.level === 'error')).toEqual([]);
}, 60_000);
