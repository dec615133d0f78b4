import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main as moveStore } from '../../scripts/moveStore.js';
import { createRecord } from '../../src/interview/engine.js';
import type { InterviewRecord } from '../../src/interview/types.js';
import type { OutboxJob } from '../../src/ports/outbox.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import type { ConversationTarget, Stores } from '../../src/ports/stores.js';
import { openPostgresStores, type PostgresStores } from '../../src/storage/postgres/index.js';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { pseudonymSecret } from '../../src/storage/secret.js';
import { content, contextFor } from '../support/context.js';
import { createDatabasePair, dumpDatabase, type DatabasePair } from '../support/postgres.js';
import { at } from '../support/defined.js';

/** npm run move-store: a pilot's embedded store into the two PostgreSQL databases, complete, repeatable, separate. */

let pair: DatabasePair;
let dir: string;
let lowdb: Stores;
let secretHex: string;
const opened: PostgresStores[] = [];

const ANSWER = 'MARKER-ANSWER-ijsvogel: ik leer het meest van collega’s';
const ctx = contextFor();
const inRound = (roundId: string) => ({ ...ctx, round: { ...ctx.round, id: roundId } });

function target(n: number): ConversationTarget {
  return {
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    tenantId: 'tenant-secret',
    userId: `29:user-secret-${n}`,
    conversationId: `a:conv-secret-${n}`,
    conversationType: 'personal',
  };
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    DATA_DIR: join(dir, 'data'),
    KEY_DIR: join(dir, 'keys'),
    DATABASE_URL: pair.databaseUrl,
    KEY_DATABASE_URL: pair.keyDatabaseUrl,
    PSEUDONYM_SECRET: secretHex,
    ...extra,
  };
}

async function run(extra: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await moveStore([], env(extra), { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function all(iterable: AsyncIterable<InterviewRecord>): Promise<InterviewRecord[]> {
  const out: InterviewRecord[] = [];
  for await (const r of iterable) out.push(r);
  return out;
}

/** Everything the store interfaces can tell about the data, to compare the two stores. */
async function snapshot(stores: Stores, pseudonyms: string[]): Promise<unknown> {
  const rounds = (await stores.answers.listRounds()).sort((a, b) => a.id.localeCompare(b.id));
  const perRound = [];
  for (const { id } of rounds) {
    const interviews = await all(stores.answers.listInterviews(id));
    perRound.push({
      id,
      interviews,
      counters: await stores.answers.counters(id),
      digestLog: await stores.answers.digestLog(id),
      participants: await stores.keys.participants(id),
      digestChannels: await stores.keys.digestChannels(id),
      outbox: await stores.outbox.list(id),
    });
  }
  const people = [];
  for (const p of pseudonyms)
    people.push({ entries: await stores.keys.entries(p), target: await stores.keys.target(p) });
  return { rounds, perRound, people, researchers: await stores.keys.researchers() };
}

async function rowCounts(stores: PostgresStores): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [pool, tables] of [
    [stores.answersPool, ['rounds', 'interviews', 'round_counters', 'digest_log']],
    [stores.keysPool, ['key_entries', 'chat_targets', 'researchers', 'digest_channels', 'number_tokens', 'outbox']],
  ] as const) {
    for (const table of tables) out[table] = Number((await pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  }
  return out;
}

const secret = Buffer.alloc(32, 3);
const people = [1, 2, 3].map((n) => pseudonymOf(secret, 'tenant-secret', `29:user-secret-${n}`));

beforeAll(async () => {
  pair = await createDatabasePair();
  dir = mkdtempSync(join(tmpdir(), 'wijzer-move-'));
  lowdb = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
  secretHex = pseudonymSecret(undefined, join(dir, 'keys')).toString('hex'); // Local mode: the secret is a file in KEY_DIR.

  // A pilot: two rounds, interviews in both (one with free text and a quote), counts, digests, invitations.
  const base = content.rounds.get('default')!;
  await lowdb.answers.saveRound(base);
  await lowdb.answers.saveRound({ ...base, id: 'spring', status: 'closed', closedAt: '2026-06-01T10:00:00.000Z' });
  for (let i = 0; i < 3; i++)
    await lowdb.answers.createInterview('default', (code) => createRecord(ctx, code, true, null));
  const a = (await lowdb.answers.getInterview('default', 'A'))!;
  await lowdb.answers.saveInterview(
    { ...a, rev: 2, answers: { background: { learning: ANSWER } }, selection: ['analyseren', 'empathie'] },
    1,
  );
  await lowdb.answers.createInterview('spring', (code) => createRecord(inRound('spring'), code, false, null));
  await lowdb.answers.countEvent('default', 'declined');
  await lowdb.answers.countEvent('default', 'withdrawn');
  await lowdb.answers.appendDigestLog('default', {
    period: '2026-11-23',
    at: '2026-11-23T08:00:00.000Z',
    invited: 3,
    completed: 0,
    inProgress: 3,
  });
  await lowdb.answers.appendDigestLog('default', {
    period: '2026-11-30',
    at: '2026-11-30T08:00:00.000Z',
    invited: 3,
    completed: 1,
    inProgress: 2,
  });

  for (const [i, p] of people.entries()) {
    await lowdb.keys.update(p, 'default', () => ({
      code: String.fromCharCode(65 + i),
      invitedAt: '2026-11-20T09:00:00.000Z',
    }));
    await lowdb.keys.saveTarget(p, target(i + 1));
  }
  await lowdb.keys.update(at(people, 0), 'spring', () => ({ code: 'A' }));
  await lowdb.keys.setResearchers(['oid-researcher-1']);
  await lowdb.keys.addDigestChannel('default', {
    ...target(9),
    conversationId: '19:channel-secret@thread.tacv2',
    conversationType: 'channel',
  });
  await lowdb.keys.numberTokens('default', ['A', 'B', 'C']);
  const job = (n: number, status: OutboxJob['status']): OutboxJob => ({
    id: `remind:default:${people[n]}:1`,
    kind: 'remind',
    roundId: 'default',
    pseudonym: at(people, n),
    target: target(n + 1),
    status,
    attempts: status === 'pending' ? 0 : 1,
    notBefore: '2026-11-25T10:00:00.000Z',
    createdAt: '2026-11-25T09:00:00.000Z',
  });
  await lowdb.outbox.enqueue([job(0, 'pending'), job(1, 'sent'), job(2, 'pending')]);
  await lowdb.outbox.claim(job(2, 'pending').id, new Date('2026-11-25T10:00:01.000Z')); // The pilot stopped mid-send.
  await lowdb.outbox.markStarted(job(2, 'pending').id, new Date('2026-11-25T10:00:01.000Z'));
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await pair?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openPg(): Promise<PostgresStores> {
  const stores = await openPostgresStores({
    databaseUrl: pair.databaseUrl,
    keyDatabaseUrl: pair.keyDatabaseUrl,
    poolMax: 3,
  });
  opened.push(stores);
  return stores;
}

test("a pseudonym secret that differs from the pilot's is refused, before anything is copied", async () => {
  const wrong = await run({ PSEUDONYM_SECRET: randomBytes(32).toString('hex') });
  expect(wrong.code).toBe(2);
  expect(wrong.err).toMatch(/PSEUDONYM_SECRET differs/);
  expect(await rowCounts(await openPg())).toMatchObject({ interviews: 0, key_entries: 0 });
  const missing = await run({ DATABASE_URL: '' });
  expect(missing.code).toBe(2);
});

test('copies everything, checks the counts; a second run duplicates nothing; the embedded store is unchanged', async () => {
  const filesBefore = readFileSync(join(dir, 'data', 'rounds', 'default', 'interviews', 'A.json'), 'utf8');
  const first = await run();
  expect(first.err).toBe('');
  expect(first.code).toBe(0);
  expect(first.out).toMatch(/interviews: +4 in the embedded store, 4 new, 0 updated, 0 already there; 4 in PostgreSQL/);
  expect(first.out).toMatch(/outbox jobs: +3 in the embedded store, 3 new/);

  const pg = await openPg();
  expect(await snapshot(pg, people)).toEqual(await snapshot(lowdb, people));
  expect(await pg.keys.numberTokens('default', ['A', 'B', 'C'])).toEqual(
    await lowdb.keys.numberTokens('default', ['A', 'B', 'C']),
  );
  expect((await pg.answers.createInterview('default', (code) => createRecord(ctx, code, false, null))).code).toBe('D'); // The counters came along.
  await pg.answers.deleteInterview('default', 'D');
  // The job the pilot was sending when it stopped: maybe sent, so never sent again.
  expect(await pg.outbox.recover()).toBe(1);

  const counts = await rowCounts(pg);
  const second = await run();
  expect(second.code).toBe(0);
  expect(second.out).not.toMatch(/[1-9]\d* new|[1-9]\d* updated/);
  expect(await rowCounts(pg)).toEqual(counts);
  expect(readFileSync(join(dir, 'data', 'rounds', 'default', 'interviews', 'A.json'), 'utf8')).toBe(filesBefore);

  // The pilot went on for a moment: the next run brings the change and the new interview, and goes back on nothing.
  const b = (await lowdb.answers.getInterview('default', 'B'))!;
  await lowdb.answers.saveInterview({ ...b, rev: 2, selection: ['samenwerken'] }, 1);
  await lowdb.answers.createInterview('spring', (code) => createRecord(inRound('spring'), code, false, null));
  const third = await run();
  expect(third.code).toBe(0);
  expect(third.out).toMatch(/interviews: +5 in the embedded store, 1 new, 1 updated, 3 already there; 5 in PostgreSQL/);
  expect((await pg.answers.getInterview('default', 'B'))?.selection).toEqual(['samenwerken']);
  const c = (await pg.answers.getInterview('default', 'C'))!;
  await pg.answers.saveInterview({ ...c, rev: 2, selection: ['newer-in-postgres'] }, 1);
  expect((await run()).code).toBe(0);
  expect((await pg.answers.getInterview('default', 'C'))?.selection).toEqual(['newer-in-postgres']);
});

test('after the move a dump of the answers database identifies nobody, and one of the key database holds no answer', async () => {
  const answers = await dumpDatabase(pair.databaseUrl);
  const keys = await dumpDatabase(pair.keyDatabaseUrl);
  expect(answers).toContain(ANSWER); // The dump did read the interviews.
  for (const identity of [
    ...people,
    'user-secret',
    'tenant-secret',
    'conv-secret',
    'channel-secret',
    'smba.trafficmanager',
    'oid-researcher',
    secretHex,
  ]) {
    expect(answers).not.toContain(identity);
  }
  expect(keys).toContain(people[0]); // The dump did read the keys.
  for (const answer of [
    'MARKER-ANSWER',
    'ijsvogel',
    'analyseren',
    'empathie',
    'samenwerken',
    '"placement"',
    '"selection"',
    '"answers"',
    secretHex,
  ]) {
    expect(keys).not.toContain(answer);
  }
});
