import { afterAll, beforeAll, expect, test } from '@jest/globals';
import {
  CardAutopilot,
  classifyCard,
  inputsOf,
  runParticipant,
  submitActionsOf,
} from '../../scripts/support/cardAutopilot.js';
import type { MockConnector } from '../../scripts/support/mockConnector.js';
import type { RunningServer } from '../../src/server.js';
import { postActivity } from '../../scripts/support/postActivity.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { pseudonymSecret } from '../../src/storage/secret.js';
import { startLocalServer, type LocalServer } from '../support/localServer.js';
import { defined } from '../support/defined.js';

/**
 * The benchmark's machinery, end to end and without timing: one simulated participant (the card autopilot)
 * talks to the real server over HTTP, the bot replies to the mock connector, and the stored interview must be
 * complete.
 */

let local: LocalServer | undefined;
let connector: MockConnector;
let server: RunningServer;

beforeAll(async () => {
  local = await startLocalServer('autopilot');
  ({ server, connector } = local);
});

afterAll(() => local?.close());

test('the autopilot reads cards by their stamps and inputs, nested in containers', () => {
  const card = {
    type: 'AdaptiveCard',
    body: [
      {
        type: 'Container',
        items: [
          {
            type: 'ColumnSet',
            columns: [
              {
                items: [
                  {
                    type: 'Input.ChoiceSet',
                    id: 'col_a',
                    value: '',
                    choices: [-1, 0, 1].map((v) => ({ title: String(v), value: String(v) })),
                  },
                ],
              },
            ],
          },
          {
            type: 'Input.ChoiceSet',
            id: 'col_b',
            choices: [-1, 0, 1].map((v) => ({ title: String(v), value: String(v) })),
          },
        ],
      },
    ],
    actions: [
      { type: 'Action.Submit', title: 'Opslaan', data: { wz: { s: 'place', i: 0, r: 3, a: 'next', rd: 'default' } } },
      {
        type: 'Action.Submit',
        title: 'Terug',
        data: { wz: { s: 'place', i: 0, r: 3, a: 'back', rd: 'default' } },
        associatedInputs: 'none',
      },
    ],
  };
  expect(inputsOf(card).map((i) => i.id)).toEqual(['col_a', 'col_b']);
  expect(submitActionsOf(card).map((a) => a.data.wz.a)).toEqual(['next', 'back']);
  expect(classifyCard(card)).toBe('place');
  const move = new CardAutopilot({ seed: 7 }).respond(card);
  expect(move).toEqual({
    kind: 'place',
    action: 'next',
    stamp: { s: 'place', i: 0, r: 3, a: 'next', rd: 'default' },
    value: { wz: { s: 'place', i: 0, r: 3, a: 'next', rd: 'default' }, col_a: '-1', col_b: '1' },
  });
  expect(new CardAutopilot().respond({ type: 'AdaptiveCard', body: [], actions: [] })).toBeNull();
});

/** The n-th simulated participant, in a 1:1 chat served through the mock connector. */
const benchParticipant = (n: number, userName: string) => ({
  userId: `bench-user-${n}`,
  userName,
  conversationId: `a:bench-conversation-${n}`,
  tenantId: 'bench-tenant',
  serviceUrl: connector.url,
});

test('one simulated participant completes a whole interview through the real server and the mock connector', async () => {
  // A name that none of the autopilot's sentences holds ("Een" would be scrubbed from "een wijkteam", and an
  // answer the scrubber changed is shown as its summary, at one call: see test/teams/cardInvoke.test.ts).
  const identity = benchParticipant(1, 'Deelnemer Anna');
  const send = (activity: Record<string, unknown>) => postActivity(server.url, activity);

  const result = await runParticipant({ identity, send, reader: connector, autopilot: new CardAutopilot({ seed: 1 }) });

  expect(result.completed).toBe(true);
  const kinds = result.turns.map((t) => t.kind);
  expect(kinds.slice(0, 3)).toEqual(['start', 'info', 'consent']);
  for (const kind of ['questions', 'pick', 'place', 'review'] as const) expect(kinds).toContain(kind);
  expect(result.turns.every((t) => t.status === 200)).toBe(true);
  expect(connector.stats.unexpected).toEqual([]);
  // Every pressed card was an Action.Execute, answered with the next card in the invoke response: the interview
  // moved on in the welcome card's one message. Opening the chat cost the one call that sent it, and no card turn
  // cost any: no update (PUT), no new message.
  expect(connector.stats.byRoute['PUT update']).toBeUndefined();
  expect(result.turns.map((t) => t.connectorCalls)).toEqual(result.turns.map((t) => (t.kind === 'start' ? 1 : 0)));

  const secret = pseudonymSecret(undefined, local!.keyDir);
  // Read as `npm run export` reads beside the running bot: its journal too, which the files may lag behind.
  const reader = openLowdbStores(local!.dataDir, local!.keyDir, { lockAs: 'the test', readOnlyIfHeld: true });
  const entry = await reader.keys.lookup(pseudonymOf(secret, identity.tenantId, identity.userId), 'default');
  // The key entry: the code, and the id of the one message that showed the answers (blanked at a withdrawal).
  expect(entry).toEqual({ code: 'A', cards: [expect.stringMatching(/^mock-/)] });
  const record = await reader.answers.getInterview('default', 'A');
  await reader.close();
  expect(record?.completedAt).toEqual(expect.any(String));
  expect(record?.consent.quote).toBe(true);
  expect(record?.selection).toHaveLength(12);
  const columns = Object.values(record?.placement ?? {});
  expect(columns).toContain(-3);
  expect(columns).toContain(3);
  expect(Object.keys(record?.followUps ?? {}).length).toBe(columns.filter((c) => c === -3 || c === 3).length);
});

test('a client without Universal Actions (every button pressed as Action.Submit) completes too, the cards updated by PUT', async () => {
  const identity = benchParticipant(2, 'Deelnemer Twee');
  const updatesBefore = connector.stats.byRoute['PUT update'] ?? 0;
  const result = await runParticipant({
    identity,
    send: (activity) => postActivity(server.url, activity),
    reader: connector,
    actions: 'submit',
  });
  expect(result.completed).toBe(true);
  const cardTurns = result.turns.filter((turn) => turn.kind !== 'start');
  expect(defined(connector.stats.byRoute['PUT update'], 'card updates') - updatesBefore).toBe(cardTurns.length);
  expect(cardTurns.map((turn) => turn.connectorCalls)).toEqual(cardTurns.map(() => 2));
});
