import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Round } from '../../src/content/schema.js';
import { createRecord } from '../../src/interview/engine.js';
import { InterviewSession, type TurnResponse } from '../../src/interview/session.js';
import type { Input } from '../../src/interview/types.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import type { Stores } from '../../src/ports/stores.js';
import { content, contextFor } from '../support/context.js';
import { defined } from '../support/defined.js';

const P = 'a'.repeat(64);
let dir: string;
let stores: Stores;
let session: InterviewSession;
const now = new Date('2026-11-25T10:00:00Z');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-session-'));
  stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
  await seedRounds(content, stores.answers, new Date('2026-01-01T00:00:00Z'));
  session = new InterviewSession(content, stores, Buffer.alloc(32, 3), () => now);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (input: Input, roundId?: string): Promise<TurnResponse> =>
  session.run({ pseudonym: P, locale: 'nl', input, roundId });
const cardData = (r: TurnResponse) => {
  const cards = r.replies.filter((x) => x.kind === 'card');
  return (cards[cards.length - 1] as { card: { data: Record<string, unknown> } }).card.data;
};
const texts = (r: TurnResponse) => r.replies.filter((x) => x.kind === 'text').map((x) => (x as { text: string }).text);
const action = (data: Record<string, unknown>, a: string) =>
  (data.actions as { data: { wz: { a: string } } }[]).find((x) => x.data.wz.a === a)!.data;

async function inviteRound(): Promise<Round> {
  const base = (await stores.answers.getRound('default'))!;
  const round: Round = {
    ...base,
    id: 'uitnodiging',
    name: { nl: 'Teamronde Zuid', en: 'Team round South' },
    audience: 'invite',
    localOnly: undefined,
    openedAt: '2026-11-01T00:00:00.000Z',
  };
  await stores.answers.saveRound(round);
  return round;
}

/** A participant who completed the round: the record as the closing step leaves it, and its key. */
async function completed(round: Round): Promise<void> {
  const ctx = { ...contextFor({ now }), round };
  const record = await stores.answers.createInterview(round.id, (code) => ({
    ...createRecord(ctx, code, false, null),
    position: { step: 'closing', index: 0 },
    completedAt: now.toISOString(),
  }));
  await stores.keys.update(P, round.id, (e) => ({ ...e, code: record.code }));
}

const texts1 = async (input: Input, roundId?: string) => {
  const response = await run(input, roundId);
  expect(response.replies.map((r) => r.kind)).toEqual(['text']);
  return texts(response)[0];
};

test('an invitation: Start opens the welcome of that round', async () => {
  await inviteRound();
  await stores.keys.update(P, 'uitnodiging', () => ({ invitedAt: now.toISOString() }));
  const invitation = cardData(await run({ kind: 'invitation' }, 'uitnodiging'));
  expect(invitation.title).toBe('Uitnodiging: Teamronde Zuid');
  expect(JSON.stringify(invitation.paragraphs)).not.toMatch(/Fijn dat je meedoet/);
  expect(JSON.stringify(invitation.paragraphs)).toMatch(/onderzoek@wij\.example\.nl/);
  expect(JSON.stringify(invitation.paragraphs)).toMatch(/31 december 2027/);
  const welcome = await run({ kind: 'submit', data: action(invitation, 'start') });
  expect(cardData(welcome).progress).toBe('Stap 1 van 13');
  expect(JSON.stringify(cardData(welcome).actions)).toMatch(/"rd":"uitnodiging"/);
});

test('"Not now" snoozes for a day; "No thanks" ends contact and counts a decline', async () => {
  await inviteRound();
  await stores.keys.update(P, 'uitnodiging', () => ({ invitedAt: now.toISOString() }));
  const invitation = cardData(await run({ kind: 'invitation' }, 'uitnodiging'));
  expect(texts(await run({ kind: 'submit', data: action(invitation, 'notNow') }))[0]).toMatch(/herinnering/);
  expect((await stores.keys.lookup(P, 'uitnodiging'))?.snoozedUntil).toBe('2026-11-26T10:00:00.000Z');
  expect(texts(await run({ kind: 'submit', data: action(invitation, 'noThanks') }))[0]).toMatch(/geen berichten meer/);
  expect(await stores.keys.lookup(P, 'uitnodiging')).toMatchObject({ declined: true, invitedAt: now.toISOString() });
  expect((await stores.answers.counters('uitnodiging')).declined).toBe(1);
});

test('an invite-only round is not offered to someone who was not invited', async () => {
  const round = await inviteRound();
  await stores.answers.saveRound({ ...(await stores.answers.getRound('default'))!, status: 'closed' });
  expect(texts(await run({ kind: 'text', text: 'hoi' }))[0]).toMatch(/geen onderzoeksronde/);
  await stores.keys.update(P, round.id, () => ({ invitedAt: now.toISOString() }));
  expect(cardData(await run({ kind: 'text', text: 'hoi' })).progress).toBe('Stap 1 van 13');
});

test('a reminder resumes an interview in progress exactly where it was', async () => {
  const welcome = cardData(await run({ kind: 'text', text: 'hoi' }));
  const consent = cardData(await run({ kind: 'submit', data: action(welcome, 'next') })) as Record<
    string,
    { data: unknown }
  >;
  await run({ kind: 'submit', data: defined(consent.yes, 'the consent button').data });
  const reminder = await run({ kind: 'reminder' }, 'default');
  expect(texts(reminder)[0]).toMatch(/herinnering/);
  expect(cardData(reminder).progress).toBe('Stap 3 van 13');
});

test('closing a round stops new answers; those in the middle get a short message and may still withdraw', async () => {
  const welcome = cardData(await run({ kind: 'text', text: 'hoi' }));
  const consent = cardData(await run({ kind: 'submit', data: action(welcome, 'next') })) as Record<
    string,
    { data: unknown }
  >;
  await run({ kind: 'submit', data: defined(consent.yes, 'the consent button').data });
  await stores.answers.saveRound({ ...(await stores.answers.getRound('default'))!, status: 'closed' });
  expect(texts(await run({ kind: 'text', text: 'verder' }))[0]).toMatch(/gesloten/);
  await stores.answers.saveRound({ ...(await stores.answers.getRound('default'))!, status: 'paused' });
  expect(texts(await run({ kind: 'text', text: 'verder' }))[0]).toMatch(/gepauzeerd/);
  const confirm = cardData(await run({ kind: 'text', text: 'stoppen' }));
  expect(texts(await run({ kind: 'submit', data: action(confirm, 'withdrawYes') }))[0]).toMatch(/ingetrokken/);
  expect((await stores.answers.counters('default')).withdrawn).toBe(1);
});

test('after finishing an invite-only round, "hallo" hears about that round, not the welcome of the open pilot', async () => {
  const round = await inviteRound();
  await stores.keys.update(P, round.id, () => ({ invitedAt: now.toISOString() }));
  await completed(round);
  expect(await texts1({ kind: 'text', text: 'hallo' })).toMatch(/Teamronde Zuid afgerond/);
  expect(await texts1({ kind: 'text', text: 'wat nu?' })).toMatch(/Teamronde Zuid al afgerond/);
  expect(await texts1({ kind: 'start' })).toBe(texts(await run({ kind: 'text', text: 'hoi' }))[0]);
  expect(await stores.keys.lookup(P, 'default')).toBeNull();
});

test('after "Nee, bedankt" to an invitation, a message is about that round: the decline, and the way back in', async () => {
  const round = await inviteRound();
  await stores.keys.update(P, round.id, () => ({ invitedAt: now.toISOString() }));
  const invitation = cardData(await run({ kind: 'invitation' }, round.id));
  await run({ kind: 'submit', data: action(invitation, 'noThanks') });
  const hello = await run({ kind: 'text', text: 'hallo' });
  expect(texts(hello)).toEqual([expect.stringMatching(/niet mee te doen aan Teamronde Zuid/)]);
  expect(cardData(hello).round).toBe('Teamronde Zuid');
  await stores.answers.saveRound({ ...round, status: 'closed' });
  expect(await texts1({ kind: 'text', text: 'hallo' })).toMatch(
    /niet mee te doen aan Teamronde Zuid, en die ronde is inmiddels gesloten/,
  );
});

test('a newer open round is offered to someone who finished an older one', async () => {
  await completed((await stores.answers.getRound('default'))!);
  const base = (await stores.answers.getRound('default'))!;
  await stores.answers.saveRound({
    ...base,
    id: 'tweede',
    name: { nl: 'Tweede ronde', en: 'Second round' },
    openedAt: '2026-11-20T00:00:00.000Z',
  });
  const hello = await run({ kind: 'text', text: 'hallo' });
  expect(cardData(hello)).toMatchObject({ round: 'Tweede ronde', progress: 'Stap 1 van 13' });
});

test('one greeting that fits: new, in progress, finished, paused, closed', async () => {
  // New: the welcome card, and nothing else, whether the chat opens or the participant says hello.
  for (const input of [{ kind: 'start' }, { kind: 'text', text: 'hallo' }] as Input[]) {
    const reply = await run(input);
    expect(reply.replies.map((r) => r.kind)).toEqual(['card']);
    expect(cardData(reply)).toMatchObject({ round: 'Open pilotronde', progress: 'Stap 1 van 13' });
  }
  // In progress: welcome back, and the card where they were; "hallo" is a greeting, not an unknown command.
  const welcome = cardData(await run({ kind: 'text', text: 'hoi' }));
  const consent = cardData(await run({ kind: 'submit', data: action(welcome, 'next') })) as Record<
    string,
    { data: unknown }
  >;
  await run({ kind: 'submit', data: defined(consent.yes, 'the consent button').data });
  for (const input of [{ kind: 'start' }, { kind: 'text', text: 'Hallo!' }] as Input[]) {
    const reply = await run(input);
    expect(texts(reply)).toEqual(['Welkom terug bij Open pilotronde! We gaan verder waar je was.']);
    expect(cardData(reply).progress).toBe('Stap 3 van 13');
  }
  // Paused and closed rounds: one message naming the round.
  const round = (await stores.answers.getRound('default'))!;
  await stores.answers.saveRound({ ...round, status: 'paused' });
  expect(await texts1({ kind: 'start' })).toMatch(/Open pilotronde even gepauzeerd/);
  await stores.answers.saveRound({ ...round, status: 'closed' });
  expect(await texts1({ kind: 'text', text: 'hallo' })).toMatch(/onderzoeksronde Open pilotronde is gesloten/);
  // Finished: one text, not "welcome back, let us continue" followed by "you have finished".
  await stores.answers.saveRound(round);
  await stores.keys.unlink(P, 'default');
  await completed(round);
  const back = await texts1({ kind: 'start' });
  expect(back).toMatch(/^Welkom terug! Je hebt het interview van Open pilotronde afgerond/);
  expect(back).not.toMatch(/verder waar je was/);
  // A finished interview in a closed round: still that round's reply, and withdrawal still works.
  await stores.answers.saveRound({ ...round, status: 'closed' });
  expect(await texts1({ kind: 'text', text: 'hallo' })).toMatch(/Open pilotronde al afgerond/);
  const confirm = cardData(await run({ kind: 'text', text: 'stoppen' }));
  expect(texts(await run({ kind: 'submit', data: action(confirm, 'withdrawYes') }))[0]).toMatch(/ingetrokken/);
});

test('an invitation to a round that is not open (yet, or any more) says so, naming it', async () => {
  const round = await inviteRound();
  await stores.keys.update(P, round.id, () => ({ invitedAt: now.toISOString() }));
  await stores.answers.saveRound({ ...round, status: 'paused' });
  expect(await texts1({ kind: 'text', text: 'hallo' })).toMatch(/Aan Teamronde Zuid kun je op dit moment niet meedoen/);
});

test('the open pilot round is seeded for a local run only', async () => {
  const other = openLowdbStores(join(dir, 'data2'), join(dir, 'keys2'));
  await seedRounds(content, other.answers, now, { local: false });
  expect(await other.answers.listRounds()).toEqual([]);
  await seedRounds(content, other.answers, now, { local: true });
  expect((await other.answers.listRounds()).map((r) => r.id)).toEqual(['default']);
  await other.close();
  expect(
    texts(
      await new InterviewSession(
        content,
        openLowdbStores(join(dir, 'data3'), join(dir, 'keys3')),
        Buffer.alloc(32, 3),
        () => now,
      ).run({ pseudonym: P, locale: 'nl', input: { kind: 'text', text: 'hallo' } }),
    )[0],
  ).toMatch(/geen onderzoeksronde/);
});
