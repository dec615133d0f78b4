import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { cardsOf } from '../../src/interview/deck.js';
import {
  actionData,
  cardOf,
  createHarness,
  IDENTITY,
  inputIds,
  texts,
  type Harness,
} from '../support/dialogHarness.js';
import { content } from '../support/context.js';
import { at } from '../support/defined.js';

let h: Harness;
afterEach(() => h?.dispose());

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every (file, needle) pair where an identifying string occurs in a file under dir, case-insensitively. */
function leaks(dir: string, needles: string[]): { file: string; needle: string }[] {
  return filesUnder(dir).flatMap((file) => {
    const text = readFileSync(file, 'utf8').toLowerCase();
    return needles.filter((n) => text.includes(n.toLowerCase())).map((needle) => ({ file, needle }));
  });
}

/** The deck's first twelve cards: the pick pages each send their own toggles. */
const FIRST_TWELVE = new Set(
  cardsOf(content.decks.get('wij-competenties')!)
    .slice(0, 12)
    .map((c) => `pick_${c.id}`),
);

/** Answers whatever card is shown the way a participant would, so a whole interview can be walked. */
function answer(card: Record<string, unknown>, answerTexts: string[]): Record<string, unknown> {
  const ids = inputIds(card);
  const actions = (card.actions as { data: { wz: { a: string } } }[]).map((a) => a.data.wz.a);
  if (actions.includes('consentYes')) return { ...actionData(card, 'consentYes'), quote: 'true' };
  if (actions.includes('confirm')) return actionData(card, 'confirm');
  const inputs: Record<string, string> = {};
  let placed = 0;
  for (const id of ids) {
    if (id.startsWith('pick_')) inputs[id] = FIRST_TWELVE.has(id) ? 'true' : 'false';
    else if (id.startsWith('col_')) inputs[id] = String([3, -3, 2, -2, 1, -1, 0][placed++ % 7]);
    else if (id === 'q_teamAttention') inputs[id] = '6';
    else if (id === 'q_ageBand') inputs[id] = 'age-30-34';
    else if (id === 'q_experienceBand') inputs[id] = 'exp-10-14';
    else if (id === 'q_workArea') inputs[id] = 'zuid';
    else if (id.startsWith('q_')) {
      const text = `Antwoord ${answerTexts.length + 1} van ${IDENTITY.name.split(' ')[0]}: het gaat goed`;
      answerTexts.push(text);
      inputs[id] = text;
    }
  }
  return { ...actionData(card, 'next'), ...inputs };
}

test('a whole interview through the dialog: stored under a letter code, every answer, and no identity anywhere', async () => {
  const logged: string[] = [];
  const spies = [jest.spyOn(console, 'log'), jest.spyOn(console, 'error'), jest.spyOn(console, 'warn')];
  spies.forEach((spy) =>
    spy.mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    }),
  );
  try {
    h = await createHarness();
    let replies = await h.send({
      type: 'conversationUpdate',
      membersAdded: [{ id: IDENTITY.userId, name: IDENTITY.name }],
      recipient: { id: 'bot', name: 'Wijzer' },
    });
    expect(cardOf(replies).body).toEqual(
      expect.arrayContaining([expect.objectContaining({ text: 'Open pilotronde · Stap 1 van 13' })]),
    );
    const typed: string[] = [];
    let turns = 0;
    let card = cardOf(replies);
    while ((card.actions as unknown[] | undefined)?.length) {
      replies = await h.send({ value: answer(card, typed), replyToId: `card-${turns}` });
      card = cardOf(replies);
      if (++turns > 60) throw new Error('the interview did not end');
    }
    expect(JSON.stringify(card)).toMatch(/Bedankt/);
    expect(h.updates.length).toBe(turns);
    expect(at(h.updates, 1, 'card update').id).toBe('card-1');

    const stored = JSON.parse(readFileSync(join(h.dataDir, 'rounds', 'default', 'interviews', 'A.json'), 'utf8'));
    expect(stored).toMatchObject({ code: 'A', roundId: 'default', consent: { participate: true, quote: true } });
    expect(stored.completedAt).not.toBeNull();
    expect(stored.selection).toHaveLength(12);
    const extremes = stored.selection.filter((id: string) => Math.abs(stored.placement[id]) === 3);
    expect(Object.keys(stored.followUps).sort()).toEqual([...extremes].sort());
    expect(stored.answers.background).toMatchObject({
      ageBand: 'age-30-34',
      experienceBand: 'exp-10-14',
      workArea: 'zuid',
    });
    expect(stored.answers.background.role).toBe('Antwoord 1 van [naam]: het gaat goed');

    const identity = [
      IDENTITY.userId,
      IDENTITY.aadObjectId,
      IDENTITY.tenantId,
      IDENTITY.conversationId,
      'Fenna',
      'Zwartkruis',
      'smba.trafficmanager',
    ];
    expect(filesUnder(h.dataDir).length).toBeGreaterThan(1);
    expect(leaks(h.dataDir, identity)).toEqual([]);
    for (const line of logged)
      for (const needle of identity) expect(line.toLowerCase()).not.toContain(needle.toLowerCase());
    for (const file of filesUnder(h.keyDir)) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toMatch(/Antwoord|het gaat goed|analyseren|age-30-34/);
    }
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
});

test('the scan above would catch a leak: a planted name is found', async () => {
  h = await createHarness();
  await h.send({ text: 'hoi' });
  mkdirSync(join(h.dataDir, 'planted'), { recursive: true });
  writeFileSync(join(h.dataDir, 'planted', 'x.json'), JSON.stringify({ note: `gesprek met ${IDENTITY.name}` }));
  expect(leaks(h.dataDir, ['Zwartkruis'])).toEqual([
    { file: join(h.dataDir, 'planted', 'x.json'), needle: 'Zwartkruis' },
  ]);
});

test('English participants get English texts', async () => {
  h = await createHarness('en-US');
  const replies = await h.send({ text: 'hello' });
  expect(JSON.stringify(cardOf(replies))).toMatch(/Step 1 of 13/);
  expect(texts(await h.send({ text: 'stop' }))[0]).toMatch(/Nothing of yours is stored/);
});

test('declining stores only the fact of a decline', async () => {
  h = await createHarness();
  const welcome = cardOf(await h.send({ text: 'hoi' }));
  const consent = cardOf(await h.send({ value: actionData(welcome, 'next') }));
  expect(texts(await h.send({ value: actionData(consent, 'consentNo') }))[0]).toMatch(/niet mee/);
  expect(await h.stores.answers.counters('default')).toEqual({ issued: 0, declined: 1, withdrawn: 0 });
  expect(readdirSync(join(h.dataDir, 'rounds', 'default')).sort()).toEqual(['counters.json', 'round.json']);
});

test('a malformed submission gets a clear message and changes nothing', async () => {
  h = await createHarness();
  await h.send({ text: 'hoi' });
  expect(texts(await h.send({ value: { wz: 'kapot' } }))[0]).toMatch(/niet herken/);
  expect(texts(await h.send({ value: 'zomaar tekst' }))[0]).toMatch(/niet herken/);
  expect(await h.stores.answers.counters('default')).toEqual({ issued: 0, declined: 0, withdrawn: 0 });
});

test('withdrawal after confirmation deletes the answers and the key, and counts it', async () => {
  h = await createHarness();
  const consent = cardOf(await h.send({ value: actionData(cardOf(await h.send({ text: 'hoi' })), 'next') }));
  const background = cardOf(await h.send({ value: actionData(consent, 'consentYes') }));
  await h.send({ value: { ...actionData(background, 'next'), q_role: 'iets' } });
  const confirm = cardOf(await h.send({ text: 'stoppen' }));
  expect(texts(await h.send({ value: actionData(confirm, 'withdrawYes') }))[0]).toMatch(/ingetrokken/);
  expect(readdirSync(join(h.dataDir, 'rounds', 'default', 'interviews'))).toEqual([]);
  expect(readdirSync(join(h.keyDir, 'participants'))).toEqual([]);
  expect(await h.stores.answers.counters('default')).toEqual({ issued: 1, declined: 0, withdrawn: 1 });
  expect(JSON.stringify(cardOf(await h.send({ text: 'hoi' })))).toMatch(/Stap 1 van 13/);
});

test('a restart between turns loses nothing: a new dialog on the same folders continues on the same step', async () => {
  h = await createHarness();
  const consent = cardOf(await h.send({ value: actionData(cardOf(await h.send({ text: 'hoi' })), 'next') }));
  const background = cardOf(await h.send({ value: actionData(consent, 'consentYes') }));
  const named = cardOf(await h.send({ value: { ...actionData(background, 'next'), q_role: 'Jeugd en gezin' } }));
  const dir = join(h.dataDir, '..');
  const restarted = await createHarness('nl-NL', dir);
  const resumed = await restarted.send({ text: 'verder' });
  expect(JSON.stringify(cardOf(resumed))).toMatch(/Stap 4 van 13/);
  const back = cardOf(await restarted.send({ text: 'terug' }));
  expect(JSON.stringify(back)).toMatch(/Jeugd en gezin/);
  // The card shown before the restart is now outdated, and says so.
  expect(texts(await restarted.send({ value: actionData(named, 'next') }))[0]).toMatch(/verouderd/);
});

test('in a channel or group chat the bot points to the 1:1 chat and stores nothing', async () => {
  h = await createHarness();
  const replies = await h.send({
    text: 'hoi',
    conversation: { id: 'channel-1', conversationType: 'channel', isGroup: true, name: '' },
  });
  expect(texts(replies)[0]).toMatch(/1-op-1 chat/);
  expect(await h.stores.answers.counters('default')).toEqual({ issued: 0, declined: 0, withdrawn: 0 });
});
