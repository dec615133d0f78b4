import { afterAll, beforeAll, expect, test } from '@jest/globals';
import {
  CardAutopilot,
  runParticipant,
  teamsActivity,
  type ParticipantIdentity,
} from '../../scripts/support/cardAutopilot.js';
import { seededRandom } from '../../src/analysis/random.js';
import type { MockConnector } from '../../scripts/support/mockConnector.js';
import { postActivity } from '../../scripts/support/postActivity.js';
import { ACTIONS } from '../../src/interview/actions.js';
import type { RunningServer } from '../../src/server.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import { startLocalServer, type LocalServer } from '../support/localServer.js';
import { at } from '../support/defined.js';

/**
 * A fuzz test of the HTTP edge: 5,000 activities (fixed seed) made by mutating valid ones: wrong types, missing
 * fields, huge strings, deep nesting, prototype keys, random invoke names, random card submissions. No answer may
 * be a 5xx except 501 (invokes), /healthz stays up, and afterwards a whole interview on the same stores completes.
 */

const ACTIVITIES = 5_000;
let local: LocalServer | undefined;
let connector: MockConnector;
let server: RunningServer;

beforeAll(async () => {
  local = await startLocalServer('fuzz', {
    env: { SCHEDULER_INTERVAL_SEC: '3600' },
    connector: { keepPerConversation: 5 },
  });
  ({ server, connector } = local);
});

afterAll(() => local?.close());

const random = seededRandom(20261201);
const pick = <T>(items: readonly T[]): T => at(items, Math.floor(random() * items.length));
const int = (n: number) => Math.floor(random() * n);

const STEPS = [
  'welcome',
  'consent',
  'background',
  'named',
  'pick',
  'place',
  'review',
  'followUps',
  'namedRecall',
  'organisation',
  'training',
  'wrapUp',
  'closing',
  'invitation',
  'nope',
];
const TEXTS = [
  'terug',
  'verder',
  'help',
  'pauze',
  'stoppen',
  'back',
  'hallo',
  '',
  '   ',
  '<at>Wijzer</at> help',
  'invite default team',
  'status',
  'rounds',
  '😀'.repeat(50),
];
const INPUTS = [
  'q_role',
  'q_ageBand',
  'q_first',
  'q_why',
  'q_teamAttention',
  'pick_c01',
  'col_c01',
  'moveCard',
  'moveTo',
  'quote',
  'wzr',
];

function deep(levels: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < levels; i++) v = random() < 0.5 ? [v] : { d: v };
  return v;
}

/** A value of the wrong kind, or a hostile one. */
function weird(): unknown {
  // A URL nobody answers at would make each reply wait for the connector client's retries: one that answers 404.
  switch (int(12)) {
    case 0:
      return null;
    case 1:
      return int(1e9) - 5e8;
    case 2:
      return random() < 0.5;
    case 3:
      return [];
    case 4:
      return {};
    case 5:
      return 'x'.repeat(int(8) === 0 ? 40_000 : 300);
    case 6:
      return deep(10 + int(60));
    case 7:
      return JSON.parse('{"__proto__":{"polluted":true}}');
    case 8:
      return { constructor: { prototype: { polluted: true } } };
    case 9:
      return [1, 'two', { three: 3 }];
    case 10:
      return `${connector.url}nowhere/`;
    default:
      return pick(TEXTS);
  }
}

function submission(): Record<string, unknown> {
  const value: Record<string, unknown> = {
    wz: {
      s: pick(STEPS),
      i: int(4),
      r: int(6),
      a: pick(ACTIONS),
      rd: random() < 0.9 ? 'default' : pick(['other', '', 'x'.repeat(70)]),
    },
  };
  for (let n = int(4); n > 0; n--)
    value[pick(INPUTS)] =
      random() < 0.8 ? pick(['1', '-3', '3', 'true', 'false', 'Een antwoord', '', 'c01', '99']) : weird();
  return value;
}

function valid(identity: ParticipantIdentity, id: string): Record<string, unknown> {
  switch (int(6)) {
    case 0:
      return teamsActivity(identity, id, { type: 'conversationUpdate', membersAdded: [{ id: identity.userId }] });
    case 1:
      return teamsActivity(identity, id, {
        type: 'installationUpdate',
        action: pick(['add', 'remove', 'add-upgrade']),
      });
    case 2:
      return teamsActivity(identity, id, {
        type: 'invoke',
        name: pick([
          'composeExtension/query',
          'task/fetch',
          'adaptiveCard/action',
          'signin/verifyState',
          'x'.repeat(int(300)),
          '',
        ]),
        value: submission(),
      });
    case 3:
      return teamsActivity(identity, id, { type: 'message', text: pick(TEXTS) });
    default:
      return teamsActivity(identity, id, { type: 'message', value: submission(), replyToId: `r-${int(100)}` });
  }
}

const FIELDS = [
  'type',
  'from',
  'recipient',
  'conversation',
  'locale',
  'text',
  'value',
  'serviceUrl',
  'channelId',
  'channelData',
  'membersAdded',
  'entities',
  'attachments',
  'replyToId',
  'name',
  'action',
  'id',
  'timestamp',
];

/** A valid activity, then 0 to 3 mutations: a field of the wrong kind, one removed, a nested field changed. */
function mutated(identity: ParticipantIdentity, id: string): Record<string, unknown> {
  const activity = valid(identity, id);
  for (let m = int(4); m > 0; m--) {
    const field = pick(FIELDS);
    const r = random();
    if (r < 0.45) activity[field] = weird();
    else if (r < 0.6) delete activity[field];
    else if (r < 0.8) {
      const inner = activity[field];
      if (inner && typeof inner === 'object' && !Array.isArray(inner))
        (inner as Record<string, unknown>)[
          pick(['id', 'name', 'aadObjectId', 'tenantId', 'conversationType', 'wz', 'tenant'])
        ] = weird();
    } else
      activity.type = pick([
        'message',
        'invoke',
        'conversationUpdate',
        'event',
        'typing',
        'messageReaction',
        'endOfConversation',
        'unknownType',
        'MESSAGE',
      ]);
  }
  return activity;
}

function bodyOf(identity: ParticipantIdentity, n: number): { body: string; type: string } {
  const activity = mutated(identity, `fuzz-${n}`);
  const body = JSON.stringify(activity);
  const r = random();
  if (r < 0.02) return { body: body.slice(0, int(body.length)), type: 'application/json' };
  if (r < 0.03) return { body, type: 'text/plain' };
  return { body, type: 'application/json' };
}

test(`${ACTIVITIES.toLocaleString('en')} mutated activities: no 5xx but 501, health up throughout, and then a whole interview completes`, async () => {
  const people: ParticipantIdentity[] = Array.from({ length: 12 }, (_, i) => ({
    userId: `fuzz-user-${i}`,
    userName: `Fuzz Persoon ${i}`,
    conversationId: `a:fuzz-${i}`,
    tenantId: 'fuzz-tenant',
    serviceUrl: connector.url,
    locale: pick(['nl-NL', 'en-US', 'de-DE']),
  }));
  const statuses: Record<number, number> = {};
  const bad: string[] = [];
  let n = 0;
  const worker = async () => {
    while (n < ACTIVITIES) {
      const i = n++;
      const { body, type } = bodyOf(pick(people), i);
      const res = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
      await res.arrayBuffer();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status >= 500 && res.status !== 501 && bad.length < 5) bad.push(`${res.status}: ${body.slice(0, 300)}`);
      if (i % 250 === 0) expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  expect(bad).toEqual([]);
  expect(
    Object.keys(statuses)
      .map(Number)
      .filter((s) => s >= 500 && s !== 501),
  ).toEqual([]);
  // The mutations reached every kind of answer: refused, handled, and not implemented.
  expect(statuses[400]).toBeGreaterThan(100);
  expect(statuses[200]).toBeGreaterThan(100);
  expect(statuses[501]).toBeGreaterThan(10);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

  const identity: ParticipantIdentity = {
    userId: 'after-fuzz',
    userName: 'Na de Storm',
    conversationId: 'a:after-fuzz',
    tenantId: 'fuzz-tenant',
    serviceUrl: connector.url,
  };
  const send = (activity: Record<string, unknown>) => postActivity(server.url, activity);
  const result = await runParticipant({ identity, send, reader: connector, autopilot: new CardAutopilot({ seed: 3 }) });
  expect(result.completed).toBe(true);
  let completed = 0;
  // Read as `npm run export` reads beside the running bot: its journal too, which the files may lag behind.
  const reader = openLowdbStores(local!.dataDir, local!.keyDir, { lockAs: 'the test', readOnlyIfHeld: true });
  for await (const record of reader.answers.listInterviews('default')) if (record.completedAt) completed++;
  await reader.close();
  expect(completed).toBeGreaterThanOrEqual(1);
}, 120_000);
