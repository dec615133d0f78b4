import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Round } from '../../src/content/schema.js';
import { InterviewSession, type TurnResponse } from '../../src/interview/session.js';
import type { Input } from '../../src/interview/types.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import type { Stores } from '../../src/storage/ports.js';
import { content } from '../support/context.js';

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

const run = (input: Input, roundId?: string): Promise<TurnResponse> => session.run({ pseudonym: P, locale: 'nl', input, roundId });
const cardData = (r: TurnResponse) => {
  const cards = r.replies.filter((x) => x.kind === 'card');
  return (cards[cards.length - 1] as { card: { data: Record<string, unknown> } }).card.data;
};
const texts = (r: TurnResponse) => r.replies.filter((x) => x.kind === 'text').map((x) => (x as { text: string }).text);
const action = (data: Record<string, unknown>, a: string) => (data.actions as { data: { wz: { a: string } } }[]).find((x) => x.data.wz.a === a)!.data;

async function inviteRound(): Promise<Round> {
  const base = (await stores.answers.getRound('default'))!;
  const round: Round = { ...base, id: 'uitnodiging', audience: 'invite', openedAt: '2026-11-01T00:00:00.000Z' };
  await stores.answers.saveRound(round);
  return round;
}

test('an invitation: Start opens the welcome of that round', async () => {
  await inviteRound();
  await stores.keys.update(P, 'uitnodiging', () => ({ invitedAt: now.toISOString() }));
  const invitation = cardData(await run({ kind: 'invitation' }, 'uitnodiging'));
  expect(invitation.title).toBe('Uitnodiging: Open pilotronde');
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
  const consent = cardData(await run({ kind: 'submit', data: action(welcome, 'next') })) as Record<string, { data: unknown }>;
  await run({ kind: 'submit', data: consent.yes.data });
  const reminder = await run({ kind: 'reminder' }, 'default');
  expect(texts(reminder)[0]).toMatch(/herinnering/);
  expect(cardData(reminder).progress).toBe('Stap 3 van 13');
});

test('closing a round stops new answers; those in the middle get a short message and may still withdraw', async () => {
  const welcome = cardData(await run({ kind: 'text', text: 'hoi' }));
  const consent = cardData(await run({ kind: 'submit', data: action(welcome, 'next') })) as Record<string, { data: unknown }>;
  await run({ kind: 'submit', data: consent.yes.data });
  await stores.answers.saveRound({ ...(await stores.answers.getRound('default'))!, status: 'closed' });
  expect(texts(await run({ kind: 'text', text: 'verder' }))[0]).toMatch(/gesloten/);
  await stores.answers.saveRound({ ...(await stores.answers.getRound('default'))!, status: 'paused' });
  expect(texts(await run({ kind: 'text', text: 'verder' }))[0]).toMatch(/gepauzeerd/);
  const confirm = cardData(await run({ kind: 'text', text: 'stoppen' }));
  expect(texts(await run({ kind: 'submit', data: action(confirm, 'withdrawYes') }))[0]).toMatch(/ingetrokken/);
  expect((await stores.answers.counters('default')).withdrawn).toBe(1);
});
