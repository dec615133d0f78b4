import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { TurnContext } from 'botbuilder';
import { teamsActivity, type ParticipantIdentity } from '../../scripts/support/cardAutopilot.js';
import type { MockConnector } from '../../scripts/support/mockConnector.js';
import type { RunningServer } from '../../src/server.js';
import { onTurnError } from '../../src/teams/turnError.js';
import { startLocalServer, type LocalServer } from '../support/localServer.js';

/**
 * The HTTP edge against malformed and hostile activities: a malformed one gets 400, a well-formed one the bot
 * cannot use 200 (with a short message in a 1:1 chat when it is a message), an invoke 501 (a card button's invoke:
 * test/teams/cardInvoke.test.ts); never a 500, and nothing stored changes.
 */

let local: LocalServer | undefined;
let connector: MockConnector;
let server: RunningServer;
let identity: ParticipantIdentity;
let n = 0;

beforeAll(async () => {
  local = await startLocalServer('edge', { env: { SCHEDULER_INTERVAL_SEC: '3600' } });
  ({ server, connector } = local);
  identity = {
    userId: 'edge-user',
    userName: 'Edge Tester',
    conversationId: 'a:edge-1',
    tenantId: 'edge-tenant',
    serviceUrl: connector.url,
    locale: 'en-US',
  };
});

afterAll(() => local?.close());

function post(body: unknown): Promise<{ status: number; text: string }> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return fetch(`${server.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: payload,
  }).then(async (res) => ({ status: res.status, text: await res.text() }));
}

const activity = (fields: Record<string, unknown>, who: ParticipantIdentity = identity) =>
  teamsActivity(who, `edge-${n++}`, fields);
const without = (field: string, fields: Record<string, unknown> = { type: 'message', text: 'help' }) => {
  const a = activity(fields);
  delete a[field];
  return a;
};

/** Every file under the stores, with its contents: what a turn could have changed. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[p] = readFileSync(p, 'utf8');
    }
  };
  walk(local!.dir);
  return out;
}

const texts = (conversationId: string, since: number) =>
  connector.sentSince(conversationId, since).map((s) => s.activity.text);

test('malformed activities get 400 and change nothing that is stored', async () => {
  // A participant with an interview in progress, so that there is state a bad turn could damage.
  expect((await post(activity({ type: 'conversationUpdate', membersAdded: [{ id: identity.userId }] }))).status).toBe(
    200,
  );
  const before = snapshot();
  let deep: unknown = 'bottom';
  for (let i = 0; i < 200; i++) deep = { nested: deep };
  const malformed: [string, unknown][] = [
    ['a number as locale', activity({ type: 'message', text: 'help', locale: 5 })],
    ['null as from', activity({ type: 'message', text: 'help', from: null })],
    ['a string as membersAdded', activity({ type: 'conversationUpdate', membersAdded: 'everyone' })],
    ['a number as text', activity({ type: 'message', text: 42 })],
    ['an object as text', activity({ type: 'message', text: { toString: 'x' } })],
    ['no type', without('type')],
    ['no conversation', without('conversation')],
    ['no serviceUrl', without('serviceUrl')],
    ['a serviceUrl that is no URL', activity({ type: 'message', text: 'help', serviceUrl: 3 })],
    ['a file: serviceUrl', activity({ type: 'message', text: 'help', serviceUrl: 'file:///etc/passwd' })],
    ['a huge text', activity({ type: 'message', text: 'x'.repeat(200_000) })],
    ['a huge value', activity({ type: 'message', value: { q_a: 'y'.repeat(100_000) } })],
    ['deep nesting', activity({ type: 'message', value: deep })],
    [
      '__proto__',
      `{"type":"message","text":"help","serviceUrl":"${connector.url}","from":{"id":"u"},"conversation":{"id":"c"},"__proto__":{"polluted":true}}`,
    ],
    [
      'constructor in a card value',
      activity({
        type: 'message',
        value: { wz: { s: 'x', i: 0, r: 0, a: 'next', rd: 'default' }, constructor: { prototype: { polluted: true } } },
      }),
    ],
    ['an array', [activity({ type: 'message', text: 'help' })]],
    ['broken JSON', '{"type":'],
  ];
  for (const [what, body] of malformed) {
    const res = await post(body);
    expect({ what, status: res.status }).toEqual({ what, status: 400 });
    expect(res.text).not.toMatch(/locale|from|membersAdded|serviceUrl|proto/);
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(snapshot()).toEqual(before);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
});

test('well-formed activities the bot cannot use get 200, and a short message in a 1:1 chat only when they are messages', async () => {
  const dutch = { ...identity, userId: 'edge-nl', conversationId: 'a:edge-nl', locale: 'nl-NL' };
  const channel = { ...identity, userId: 'edge-channel', conversationId: '19:channel@thread.tacv2' };
  const before = snapshot();
  let seq = connector.lastSeq();
  expect((await post(activity({ type: 'message', value: 'not an object' }))).status).toBe(200);
  expect(texts(identity.conversationId, seq)).toEqual([expect.stringContaining('I could not read that message')]);

  seq = connector.lastSeq();
  expect(
    (
      await post(
        activity(
          { type: 'message', attachments: [{ contentType: 'image/png', contentUrl: 'https://example.org/a.png' }] },
          dutch,
        ),
      )
    ).status,
  ).toBe(200);
  expect(texts(dutch.conversationId, seq)).toEqual([expect.stringContaining('Ik lees alleen getypte tekst')]);

  seq = connector.lastSeq();
  const group = activity(
    {
      type: 'message',
      value: [1, 2],
      conversation: { id: channel.conversationId, conversationType: 'channel', tenantId: identity.tenantId },
    },
    channel,
  );
  expect((await post(group)).status).toBe(200);
  expect((await post(activity({ type: 'somethingNew', text: 'help' }))).status).toBe(200);
  expect((await post(activity({ type: 'messageReaction', reactionsAdded: [{ type: 'like' }] }))).status).toBe(200);
  expect((await post(activity({ type: 'typing' }))).status).toBe(200);
  expect(connector.sentSince(channel.conversationId, seq)).toEqual([]);
  expect(connector.sentSince(identity.conversationId, seq)).toEqual([]);
  expect(snapshot()).toEqual(before);
});

test('invokes the bot does not implement get 501, whatever their name', async () => {
  const before = snapshot();
  for (const name of [
    'composeExtension/query',
    'task/fetch',
    'adaptiveCard/actions',
    'signin/verifyState',
    '../../etc',
    '',
  ]) {
    expect((await post(activity({ type: 'invoke', name, value: { any: 'thing' } }))).status).toBe(501);
  }
  expect(snapshot()).toEqual(before);
});

test('the turn error handler never throws, whatever the activity holds and even when the reply fails', async () => {
  const broken = (fields: Record<string, unknown>) =>
    ({
      activity: { type: 'message', ...fields },
      sendActivity: async () => {
        throw new Error('connector down');
      },
    }) as unknown as TurnContext;
  await expect(onTurnError(broken({ locale: 5 }), new Error('boom'))).resolves.toBeUndefined();
  await expect(onTurnError(broken({ locale: { en: true } }), 'not even an error')).resolves.toBeUndefined();
  await expect(
    onTurnError({ activity: undefined } as unknown as TurnContext, new Error('boom')),
  ).resolves.toBeUndefined();
});
