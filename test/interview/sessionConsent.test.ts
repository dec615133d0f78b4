/**
 * What a consent writes to the key store: the participant's code and their chat target, in one durable write, so
 * that a fault or a crash leaves both or neither (and a reply waits for one write, not two).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InterviewSession, type TurnResponse } from '../../src/interview/session.js';
import type { Input } from '../../src/interview/types.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import { openLowdbStores, type LowdbStores } from '../../src/storage/lowdb/index.js';
import type { FileOp } from '../../src/storage/lowdb/storeFiles.js';
import { StoreUnavailableError, type ConversationTarget } from '../../src/ports/stores.js';
import { content } from '../support/context.js';
import { defined } from '../support/defined.js';

const P = 'b'.repeat(64);
const TARGET: ConversationTarget = {
  channelId: 'msteams',
  serviceUrl: 'https://smba.example/emea/',
  tenantId: 'tenant-1',
  userId: '29:user-1',
  conversationId: 'a:conv-1',
  conversationType: 'personal',
};
let dir: string;
let stores: LowdbStores;
let session: InterviewSession;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-consent-'));
  stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
  await seedRounds(content, stores.answers, new Date('2026-01-01T00:00:00Z'));
  session = new InterviewSession(content, stores, Buffer.alloc(32, 3), () => new Date('2026-11-25T10:00:00Z'));
});
afterEach(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (input: Input): Promise<TurnResponse> => session.run({ pseudonym: P, locale: 'nl', input, target: TARGET });
const cardData = (r: TurnResponse) => {
  const cards = r.replies.filter((x) => x.kind === 'card');
  return (cards[cards.length - 1] as { card: { data: Record<string, unknown> } }).card.data;
};
const action = (data: Record<string, unknown>, a: string) =>
  (data.actions as { data: { wz: { a: string } } }[]).find((x) => x.data.wz.a === a)!.data;

/** Up to the consent card; returns the press of its yes button. */
async function consentPress(): Promise<Input> {
  const welcome = cardData(await run({ kind: 'text', text: 'hoi' }));
  const consent = cardData(await run({ kind: 'submit', data: action(welcome, 'next') })) as Record<
    string,
    { data: unknown }
  >;
  return { kind: 'submit', data: defined(consent.yes, 'the consent button').data };
}

/** The key-store writes of the participant's file from now on, failing the one numbered `failing` (from 1). */
function keyWrites(failing?: number): string[] {
  const writes: string[] = [];
  stores.keyFiles.fault = (op: FileOp, file: string) => {
    if (op !== 'write' || !file.includes(`${P}.json`)) return undefined;
    writes.push(file);
    return writes.length === failing ? Object.assign(new Error('EIO: simulated'), { code: 'EIO' }) : undefined;
  };
  return writes;
}

test('a consent saves the code and the chat target in one key-store write', async () => {
  const press = await consentPress();
  const writes = keyWrites();
  await run(press);
  expect(writes).toHaveLength(1);
  expect((await stores.keys.lookup(P, 'default'))?.code).toBe('A');
  expect(await stores.keys.target(P)).toEqual(TARGET);
});

test.each([1, 2])(
  'a disk fault on key-store write %i of a consent leaves the code and the target together, or neither',
  async (failing) => {
    const press = await consentPress();
    keyWrites(failing);
    await run(press).catch((err: unknown) => expect(err).toBeInstanceOf(StoreUnavailableError));
    const coded = (await stores.keys.lookup(P, 'default'))?.code !== undefined;
    expect({ coded, targeted: (await stores.keys.target(P)) !== null }).toEqual({ coded, targeted: coded });
  },
);
