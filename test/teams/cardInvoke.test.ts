import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Activity, TurnContext } from 'botbuilder';
import {
  CardAutopilot,
  submitActionsOf,
  teamsActivity,
  type ParticipantIdentity,
} from '../../scripts/support/cardAutopilot.js';
import { MockConnector } from '../../scripts/support/mockConnector.js';
import { postActivity } from '../../scripts/support/postActivity.js';
import { readConfig } from '../../src/config/env.js';
import { participantText } from '../../src/interview/messages.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { onTurnError } from '../../src/teams/turnError.js';
import type { InterviewSession } from '../../src/interview/session.js';
import { StoreUnavailableError } from '../../src/ports/stores.js';
import type { Pseudonyms } from '../../src/storage/pseudonyms.js';
import { CardTemplates } from '../../src/teams/cardTemplates.js';
import { InterviewDialog } from '../../src/teams/interviewDialog.js';
import { filesBelow } from '../support/files.js';
import { at } from '../support/defined.js';

/**
 * Universal Actions through the real server and a mock Bot Connector: a participant card's buttons are
 * Action.Execute with an Action.Submit fallback; a press arrives as an `adaptiveCard/action` invoke and is answered
 * in the HTTP response with the card that replaces the pressed one, so a card turn costs one Bot Connector call
 * (the next card). The fallback, an Action.Submit message, still updates the card with updateActivity. Every invoke
 * gets a 200 invoke response, whatever it carries.
 */

type Json = Record<string, unknown>;
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';

const root = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
let connector: MockConnector;
let server: RunningServer;
let n = 0;

beforeAll(async () => {
  process.env.WIJZER_QUIET = '1';
  dir = mkdtempSync(join(tmpdir(), 'wijzer-invoke-'));
  connector = await MockConnector.start();
  server = await startServer(
    readConfig({
      WIJZER_LOCAL: '1',
      DATA_DIR: join(dir, 'data'),
      KEY_DIR: join(dir, 'keys'),
      CONTENT_DIR: root,
      PORT: '0',
      SCHEDULER_INTERVAL_SEC: '3600',
    }),
  );
});

afterAll(async () => {
  await server?.close();
  await connector?.close();
  rmSync(dir, { recursive: true, force: true });
});

const person = (name: string, conversationType = 'personal'): ParticipantIdentity => ({
  userId: `invoke-${name}`,
  userName: `Deelnemer ${name}`,
  conversationId: `a:invoke-${name}-${conversationType}`,
  tenantId: 'invoke-tenant',
  serviceUrl: connector.url,
});

/** Posts an activity; what the bot sent to the chat meanwhile, and the Bot Connector calls that took. */
async function turn(who: ParticipantIdentity, fields: Json, conversation: Json = {}) {
  const seq = connector.lastSeq();
  const calls = connector.callsTo(who.conversationId);
  const activity = teamsActivity(who, `invoke-${n++}`, fields);
  Object.assign(activity.conversation as Json, conversation);
  const { status, body } = await postActivity(server.url, activity);
  return {
    status,
    body,
    sent: connector.sentSince(who.conversationId, seq),
    calls: connector.callsTo(who.conversationId) - calls,
  };
}

const cardIn = (sent: { id: string; activity: Json }[]) => {
  const found = [...sent].reverse().find((s) => Array.isArray(s.activity.attachments) && s.activity.attachments.length);
  if (!found) throw new Error(`no card in ${JSON.stringify(sent.map((s) => s.activity.text))}`);
  return { id: found.id, card: at(found.activity.attachments as Json[], 0, 'attachment').content as Json };
};

const invokeOf = (verb: string | undefined, data: unknown, replyToId: string): Json => ({
  type: 'invoke',
  name: 'adaptiveCard/action',
  replyToId,
  value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
});

/** The press of the autopilot's button on a card, as Teams sends it for Action.Execute. */
const pressOf = (autopilot: CardAutopilot, shown: { id: string; card: Json }): Json => {
  const move = autopilot.respond(shown.card)!;
  return invokeOf(move.verb, move.value, shown.id);
};

const answerOf = (body: string) => JSON.parse(body) as { statusCode: number; type: string; value: unknown };

async function opened(who: ParticipantIdentity) {
  const { sent } = await turn(who, {
    type: 'conversationUpdate',
    membersAdded: [{ id: who.userId, name: who.userName }],
  });
  return cardIn(sent);
}

test('participant buttons are Action.Execute, verb and data as the stamp, with the same Action.Submit as fallback', async () => {
  const { card } = await opened(person('buttons'));
  expect(Number(card.version)).toBeGreaterThanOrEqual(1.4);
  const actions = card.actions as Json[];
  expect(actions.length).toBeGreaterThan(0);
  for (const action of actions) {
    const data = action.data as { wz: { a: string } };
    expect(action).toMatchObject({ type: 'Action.Execute', verb: data.wz.a });
    expect(action.fallback).toEqual(expect.objectContaining({ type: 'Action.Submit', title: action.title, data }));
    expect(action.fallback).not.toHaveProperty('verb');
  }
});

/** The card an invoke was answered with, shown in place of the pressed one. */
const inPlace = (result: { body: string }, pressedId: string) => {
  const answer = answerOf(result.body);
  expect(answer).toMatchObject({ statusCode: 200, type: ADAPTIVE });
  return { id: pressedId, card: answer.value as Json };
};

test('an Action.Execute press costs no Bot Connector call: the next card comes in the invoke response, in place', async () => {
  const who = person('execute');
  const autopilot = new CardAutopilot({ seed: 1 });
  let shown = await opened(who);
  const first = shown.id;
  const updatesBefore = connector.stats.byRoute['PUT update'] ?? 0;
  for (let press = 0; press < 4; press++) {
    const before = submitActionsOf(shown.card).map((a) => a.data.wz);
    const result = await turn(who, pressOf(autopilot, shown));
    expect(result.status).toBe(200);
    expect(result.calls).toBe(0);
    expect(result.sent).toHaveLength(0);
    shown = inPlace(result, shown.id);
    // The next step's card, with buttons of its own: the interview moves on in the one message.
    expect(submitActionsOf(shown.card).length).toBeGreaterThan(0);
    expect(submitActionsOf(shown.card).map((a) => a.data.wz)).not.toEqual(before);
  }
  expect(shown.id).toBe(first);
  expect(connector.stats.byRoute['PUT update'] ?? 0).toBe(updatesBefore);
});

test('the Action.Submit fallback replaces the pressed card with updateActivity, as before', async () => {
  const who = person('submit');
  const autopilot = new CardAutopilot({ seed: 2 });
  const shown = await opened(who);
  const move = autopilot.respond(shown.card)!;
  const { status, body, sent, calls } = await turn(who, { type: 'message', replyToId: shown.id, value: move.value });
  expect(status).toBe(200);
  expect(body).toBe('');
  // The update of the pressed card and the reply with the next card.
  expect(calls).toBe(2);
  expect(sent).toHaveLength(1);
  const updated = connector.activities(who.conversationId).find((s) => s.id === shown.id)!;
  expect(submitActionsOf(cardIn([updated]).card)).toEqual([]);
  expect(JSON.stringify(updated.activity)).toContain(participantText('nl', 'saved'));
});

test('pressed twice, a card is swallowed; an outdated card says so and shows the current one, for invokes too', async () => {
  const who = person('stale');
  const autopilot = new CardAutopilot({ seed: 3 });
  const welcome = await opened(who);
  const consent = inPlace(await turn(who, pressOf(autopilot, welcome)), welcome.id);
  const consentPress = pressOf(autopilot, consent);
  const current = inPlace(await turn(who, consentPress), welcome.id);

  // The same press again (a second device, a client that let it through): nothing is sent, the card is told it is saved.
  const twice = await turn(who, consentPress);
  expect(twice.status).toBe(200);
  expect(answerOf(twice.body)).toEqual({ statusCode: 200, type: MESSAGE, value: participantText('nl', 'saved') });
  expect(twice.calls).toBe(0);

  // The welcome card, pressed again after consent: outdated. The chat is told so and gets the current card again,
  // both in one message: one Bot Connector call.
  const stale = await turn(who, pressOf(new CardAutopilot({ seed: 3 }), welcome));
  expect(stale.status).toBe(200);
  const staleText = participantText('nl', 'staleCard');
  expect(answerOf(stale.body)).toEqual({ statusCode: 200, type: MESSAGE, value: staleText });
  expect(stale.calls).toBe(1);
  expect(stale.sent.map((s) => s.activity.text)).toEqual([staleText]);
  expect(submitActionsOf(cardIn(stale.sent).card).map((a) => a.data.wz)).toEqual(
    submitActionsOf(current.card).map((a) => a.data.wz),
  );
});

test('an outdated card pressed as Action.Submit gets its note and the current card in one message', async () => {
  const who = person('stale-submit');
  const autopilot = new CardAutopilot({ seed: 4 });
  const welcome = await opened(who);
  const press = async (shown: { id: string; card: Json }, move = autopilot.respond(shown.card)!) =>
    turn(who, { type: 'message', replyToId: shown.id, value: move.value });
  const consent = cardIn((await press(welcome)).sent);
  const current = cardIn((await press(consent)).sent);

  // The welcome card, pressed again after consent: outdated.
  const stale = await press(welcome, new CardAutopilot({ seed: 4 }).respond(welcome.card)!);
  expect(stale.status).toBe(200);
  expect(stale.calls).toBe(1);
  expect(stale.sent.map((s) => s.activity.text)).toEqual([participantText('nl', 'staleCard')]);
  expect(submitActionsOf(cardIn(stale.sent).card).map((a) => a.data.wz)).toEqual(
    submitActionsOf(current.card).map((a) => a.data.wz),
  );
});

/** Every file under the stores, with its contents. */
const snapshot = (): Record<string, string> =>
  Object.fromEntries(filesBelow(dir).map((path) => [path, readFileSync(path, 'utf8')]));

test('a card invoke that carries nothing readable gets a 200 invoke response with a message, and changes nothing', async () => {
  const who = person('malformed');
  const shown = await opened(who);
  const before = snapshot();
  const values: unknown[] = [
    undefined,
    null,
    'next',
    [],
    {},
    { action: null },
    { action: { type: 'Action.Submit', data: {} } },
    { action: { type: 'Action.Execute', verb: 'next' } },
    { action: { type: 'Action.Execute', data: 'next' } },
    { action: { type: 'Action.Execute', data: [1, 2] } },
    { action: { type: 'Action.Execute', verb: 'x'.repeat(65), data: {} } },
  ];
  for (const value of values) {
    const { status, body, calls } = await turn(who, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: shown.id,
      value,
    });
    expect(status).toBe(200);
    expect(answerOf(body)).toEqual({ statusCode: 200, type: MESSAGE, value: participantText('nl', 'unreadable') });
    expect(calls).toBe(0);
  }
  expect(snapshot()).toEqual(before);
});

test('readable data that is not a card of this participant, or a press outside a 1:1 chat, still gets a 200 invoke response', async () => {
  const who = person('garbage');
  const shown = await opened(who);
  for (const data of [
    {},
    { wz: { s: 'nope', i: -1 } },
    { wz: { s: 'welcome', i: 0, r: 99, a: 'next', rd: 'no-such-round' } },
  ]) {
    const { status, body } = await turn(who, invokeOf('next', data, shown.id));
    expect(status).toBe(200);
    expect(answerOf(body)).toMatchObject({ statusCode: 200 });
  }
  const elsewhere = person('group', 'groupChat');
  const { status, body, calls } = await turn(
    elsewhere,
    invokeOf('next', { wz: { s: 'welcome', i: 0, r: 0, a: 'next', rd: 'default' } }, 'some-card'),
    { conversationType: 'groupChat' },
  );
  expect(status).toBe(200);
  expect(answerOf(body)).toEqual({ statusCode: 200, type: MESSAGE, value: participantText('nl', 'personalOnly') });
  expect(calls).toBe(0);
});

test('a turn that fails on a card invoke is answered on the card, not with a message in the chat', async () => {
  const sent: Partial<Activity>[] = [];
  const activity = { type: 'invoke', name: 'adaptiveCard/action', locale: 'en-US' };
  const context = {
    activity,
    sendActivity: async (reply: Partial<Activity>) => {
      sent.push(reply);
    },
  } as unknown as TurnContext;
  await onTurnError(context, new Error('boom'));
  expect(sent).toEqual([
    {
      type: 'invokeResponse',
      value: { status: 200, body: { statusCode: 200, type: MESSAGE, value: participantText('en', 'tryAgain') } },
    },
  ]);
});

test('presses past the flood limit are told to slow down on the card, with no outbound call', async () => {
  const floodDir = mkdtempSync(join(tmpdir(), 'wijzer-invoke-flood-'));
  const env = {
    WIJZER_LOCAL: '1',
    DATA_DIR: join(floodDir, 'data'),
    KEY_DIR: join(floodDir, 'keys'),
    CONTENT_DIR: root,
    PORT: '0',
    SCHEDULER_INTERVAL_SEC: '3600',
  };
  const limited = await startServer(readConfig({ ...env, FLOOD_BURST: '2', FLOOD_RATE_PER_SEC: '0.01' }));
  try {
    const who = person('flood');
    const press = teamsActivity(
      who,
      `invoke-${n++}`,
      invokeOf('next', { wz: { s: 'welcome', i: 0, r: 0, a: 'next', rd: 'default' } }, 'card-1'),
    );
    const answers: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { status, body } = await postActivity(limited.url, press);
      expect(status).toBe(200);
      answers.push(answerOf(body).type === MESSAGE ? String(answerOf(body).value) : 'card');
    }
    expect(answers.slice(2)).toEqual([participantText('nl', 'slowDown'), participantText('nl', 'slowDown')]);
    const calls = connector.callsTo(who.conversationId);
    await postActivity(limited.url, press);
    expect(connector.callsTo(who.conversationId)).toBe(calls);
  } finally {
    await limited.close();
    rmSync(floodDir, { recursive: true, force: true });
  }
});

/** The refresh a card carries, as Teams sends it when it shows that card again. */
const refreshOf = (card: Json, replyToId: string): Json => {
  const refresh = card.refresh as { action: { verb: string; data: unknown } };
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: {
      action: { type: 'Action.Execute', verb: refresh.action.verb, data: refresh.action.data },
      trigger: 'automatic',
    },
  };
};

const stampsOf = (card: unknown) => submitActionsOf(card).map((a) => a.data.wz);

test('a participant card carries a refresh with its stamp; the withdrawal card has none', async () => {
  const who = person('refresh-shape');
  const { card } = await opened(who);
  const stamp = at(stampsOf(card), 0, 'a stamp');
  expect(card.refresh).toEqual({ action: { type: 'Action.Execute', verb: 'refresh', data: { wz: stamp } } });
  const consent = inPlace(await turn(who, pressOf(new CardAutopilot({ seed: 5 }), await opened(who))), 'x');
  inPlace(await turn(who, pressOf(new CardAutopilot({ seed: 5 }), consent)), 'x');
  const withdrawal = cardIn((await turn(who, { type: 'message', text: 'stoppen' })).sent).card;
  expect(stampsOf(withdrawal).map((s) => s.a)).toContain('withdrawYes');
  expect(withdrawal).not.toHaveProperty('refresh');
});

test('a refresh shows the card as it is now, in the message the interview moves on in; it writes and sends nothing', async () => {
  const who = person('refresh');
  const autopilot = new CardAutopilot({ seed: 6 });
  const welcome = await opened(who);
  const refreshed = async (card: Json, id: string) => {
    const before = snapshot();
    const result = await turn(who, refreshOf(card, id));
    expect(result.status).toBe(200);
    expect(result.calls).toBe(0);
    expect(snapshot()).toEqual(before);
    return inPlace(result, id).card;
  };

  // Before consent nothing of the participant's progress is kept: the card stays what it was.
  expect(stampsOf(await refreshed(welcome.card, welcome.id))).toEqual(stampsOf(welcome.card));

  const consent = inPlace(await turn(who, pressOf(autopilot, welcome)), welcome.id);
  let current = inPlace(await turn(who, pressOf(autopilot, consent)), welcome.id);
  current = inPlace(await turn(who, pressOf(autopilot, current)), welcome.id);
  // The message still holds the welcome card for Teams; shown again (another device, the chat reopened), it is
  // refreshed to where the interview is now.
  expect(stampsOf(await refreshed(welcome.card, welcome.id))).toEqual(stampsOf(current.card));
  expect(stampsOf(await refreshed(current.card, welcome.id))).toEqual(stampsOf(current.card));

  // "verder" sends the current card as a new message; moving on there makes the first message an old one.
  const again = cardIn((await turn(who, { type: 'message', text: 'verder' })).sent);
  expect(stampsOf(again.card)).toEqual(stampsOf(current.card));
  const next = inPlace(await turn(who, pressOf(autopilot, again)), again.id);
  const old = await refreshed(welcome.card, welcome.id);
  expect(stampsOf(old)).toEqual([]);
  expect(JSON.stringify(old)).toContain(participantText('nl', 'cardOutdatedTitle'));
  expect(stampsOf(await refreshed(again.card, again.id))).toEqual(stampsOf(next.card));
});

test('a withdrawal blanks the message the interview moved on in, for everyone (updateActivity)', async () => {
  const who = person('refresh-withdraw');
  const autopilot = new CardAutopilot({ seed: 7 });
  const welcome = await opened(who);
  let current = inPlace(await turn(who, pressOf(autopilot, welcome)), welcome.id);
  for (let press = 0; press < 3; press++) current = inPlace(await turn(who, pressOf(autopilot, current)), welcome.id);
  const choice = cardIn((await turn(who, { type: 'message', text: 'stoppen' })).sent);
  const yes = submitActionsOf(choice.card).find((a) => a.data.wz.a === 'withdrawYes')!;
  const done = await turn(who, invokeOf('withdrawYes', yes.data, choice.id));
  expect(done.status).toBe(200);
  const blanked = connector.activities(who.conversationId).find((s) => s.id === welcome.id)!;
  expect(JSON.stringify(blanked.activity)).toContain(participantText('nl', 'withdrawnCard'));
  expect(stampsOf(cardIn([blanked]).card)).toEqual([]);
});

test('a press whose text the scrubber changed shows what was stored: the summary in place, the next card as a message', async () => {
  const who = person('scrubbed');
  const autopilot = new CardAutopilot({ seed: 8 });
  const welcome = await opened(who);
  const consent = inPlace(await turn(who, pressOf(autopilot, welcome)), welcome.id);
  const background = inPlace(await turn(who, pressOf(autopilot, consent)), welcome.id);
  const press = pressOf(autopilot, background) as { value: { action: { data: Json } } };
  expect(press.value.action.data).toHaveProperty('q_role');
  press.value.action.data.q_role = 'Mail me op test.persoon@example.nl';
  const result = await turn(who, press);
  const summary = inPlace(result, welcome.id).card;
  expect(stampsOf(summary)).toEqual([]);
  expect(JSON.stringify(summary)).toContain('[e-mail]');
  expect(JSON.stringify(summary)).not.toContain('example.nl');
  expect(result.calls).toBe(1);
  const next = cardIn(result.sent);
  expect(stampsOf(next.card).length).toBeGreaterThan(0);
  // The interview now moves on in the new message: shown again, the first message is out of date, and the new
  // one shows the current card.
  const first = inPlace(await turn(who, refreshOf(welcome.card, welcome.id)), welcome.id).card;
  expect(JSON.stringify(first)).toContain(participantText('nl', 'cardOutdatedTitle'));
  const moved = inPlace(await turn(who, pressOf(autopilot, next)), next.id);
  expect(stampsOf(inPlace(await turn(who, refreshOf(next.card, next.id)), next.id).card)).toEqual(stampsOf(moved.card));
});

test('a refresh the store cannot answer is told the card could not be updated, not that an answer was lost', async () => {
  const session = {
    run: async () => {
      throw new StoreUnavailableError('the database is down');
    },
  } as unknown as InterviewSession;
  const dialog = new InterviewDialog(session, new CardTemplates(root), { of: () => 'p' } as unknown as Pseudonyms);
  const answered = async (fields: Json) => {
    const sent: Partial<Activity>[] = [];
    const context = {
      activity: teamsActivity(person('store-down'), `invoke-${n++}`, fields),
      sendActivity: async (reply: Partial<Activity>) => {
        sent.push(reply);
      },
    } as unknown as TurnContext;
    await dialog.handle(context);
    return sent.map((reply) => (reply.value as { body: { value: unknown } }).body.value);
  };
  const stamp = { wz: { s: 'welcome', i: 0, r: 0, a: 'next', rd: 'default' } };
  expect(await answered(refreshOf({ refresh: { action: { verb: 'refresh', data: stamp } } }, 'card-1'))).toEqual([
    participantText('nl', 'refreshFailed'),
  ]);
  expect(await answered(invokeOf('next', stamp, 'card-1'))).toEqual([participantText('nl', 'notSaved')]);
});
