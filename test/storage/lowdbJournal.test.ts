/**
 * The embedded store's journal as the bot uses it (holding the store lock): what a crash leaves is recovered,
 * damage is refused, replay keeps the order of writes, an erasure leaves no trace, and a reader beside the bot
 * sees every acknowledged write before the files are brought up to date.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { z } from 'zod';
import { join } from 'node:path';
import { createRecord } from '../../src/interview/engine.js';
import type { InterviewRecord } from '../../src/interview/types.js';
import { StoreUnavailableError } from '../../src/ports/stores.js';
import { openLowdbStores, type LowdbStores } from '../../src/storage/lowdb/index.js';
import { encodeRecord, JOURNAL_MAGIC } from '../../src/storage/lowdb/journalRecords.js';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { filesBelow } from '../support/files.js';
import { content, contextFor } from '../support/context.js';

const BOT = { lockAs: 'the Wijzer bot' };
const ctx = contextFor();
const build = (code: string) => createRecord(ctx, code, false, null);
const who = pseudonymOf(Buffer.alloc(32, 3), 'tenant', 'user-1');
let dir: string;
let open: LowdbStores[] = [];

const data = (root = dir) => join(root, 'data');
const keys = (root = dir) => join(root, 'keys');
const interviewFile = (root: string, code: string) =>
  join(data(root), 'rounds', 'default', 'interviews', `${code}.json`);
const journals = (folder: string) => readdirSync(folder).filter((name) => name.endsWith('.wal'));
/** The path of the folder's one journal file. */
const journalOf = (folder: string) => join(folder, journals(folder).at(0) ?? 'no journal');

function openBot(root = dir): LowdbStores {
  const stores = openLowdbStores(data(root), keys(root), BOT);
  open.push(stores);
  return stores;
}

/** What kill -9 leaves on disk at this moment: a copy of both folders, without the dead process's locks. */
function crashCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), 'wijzer-journal-crash-'));
  cpSync(dir, copy, { recursive: true });
  for (const folder of [data(copy), keys(copy)]) rmSync(join(folder, '.wijzer.lock'), { force: true });
  return copy;
}

/** A saved interview with `n` answers after its creation (each a journal record). */
async function answered(stores: LowdbStores, n: number, text = 'Geduld'): Promise<InterviewRecord> {
  let record = await stores.answers.createInterview('default', build);
  for (let i = 0; i < n; i++) {
    const next = { ...record, rev: record.rev + 1, answers: { wrapUp: { anythingElse: `${text} ${i}` } } };
    await stores.answers.saveInterview(next, record.rev);
    record = next;
  }
  return record;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-journal-'));
});
afterEach(async () => {
  await Promise.all(open.map((stores) => stores.close()));
  open = [];
  rmSync(dir, { recursive: true, force: true });
});

test('writes are acknowledged from the journal: the file is brought up to date later, once for many writes', async () => {
  const bot = openBot();
  const saved = await answered(bot, 5);
  expect(journals(data())).toHaveLength(1);
  // Created and answered five times in the journal only: the file is written once, at the checkpoint.
  expect(existsSync(interviewFile(dir, 'A'))).toBe(false);
  await bot.close();
  open = [];
  expect(JSON.parse(readFileSync(interviewFile(dir, 'A'), 'utf8'))).toEqual(saved);
  expect(journals(data())).toEqual([]);
});

test('a new file is one journal record, and created once: a name the journal or the disk holds is refused', async () => {
  const bot = openBot();
  const file = join(data(), 'outbox-like', 'job-1.json');
  // Two creations of one name at the same moment: one wins, the other changes nothing.
  const made = await Promise.all([bot.dataFiles.createJson(file, { n: 1 }), bot.dataFiles.createJson(file, { n: 2 })]);
  expect([...made].sort()).toEqual([false, true]);
  const kept = made[0] ? { n: 1 } : { n: 2 };
  // Durable in the journal, no file yet: a consent costs one durable write.
  expect(existsSync(file)).toBe(false);
  expect(journals(data())).toHaveLength(1);
  expect(await bot.dataFiles.createJson(file, { n: 3 })).toBe(false);
  await bot.dataFiles.checkpoint();
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(kept);
  // Now the disk alone has it.
  expect(await bot.dataFiles.createJson(file, { n: 4 })).toBe(false);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(kept);
  await bot.dataFiles.remove(file);
  expect(await bot.dataFiles.createJson(file, { n: 5 })).toBe(true);
  // A crash now: the replay brings the new file back.
  const copy = crashCopy();
  try {
    const after = openBot(copy);
    const path = join(data(copy), 'outbox-like', 'job-1.json');
    expect(await after.dataFiles.readJson(path, z.unknown())).toEqual({ n: 5 });
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test('a checkpoint on request brings the file up to date and empties the journal while the store stays open', async () => {
  const bot = openBot();
  const saved = await answered(bot, 3);
  expect(journals(data())).toHaveLength(1);
  await bot.dataFiles.checkpoint();
  expect(JSON.parse(readFileSync(interviewFile(dir, 'A'), 'utf8'))).toEqual(saved);
  expect(journals(data())).toEqual([]);
  // Still open for writing: the next save goes to a new journal generation.
  await bot.answers.saveInterview({ ...saved, rev: saved.rev + 1 }, saved.rev);
  expect(journals(data())).toHaveLength(1);
});

test('after kill -9 with a torn last record, the start drops it and keeps every acknowledged write', async () => {
  const bot = openBot();
  const saved = await answered(bot, 4);
  await bot.keys.update(who, 'default', () => ({ code: 'A' }));
  const copy = crashCopy();
  try {
    // The last append was cut short by the kill: half of one more record.
    const torn = encodeRecord({
      file: 'rounds/default/interviews/A.json',
      text: JSON.stringify({ ...saved, rev: 99 }),
    });
    writeFileSync(journalOf(data(copy)), torn.subarray(0, torn.length / 2), { flag: 'a' });
    const restarted = openBot(copy);
    expect(await restarted.answers.getInterview('default', 'A')).toEqual(saved);
    expect(await restarted.keys.lookup(who, 'default')).toEqual({ code: 'A' });
    // The start checkpointed: the files alone hold it, the journal is gone.
    expect(journals(data(copy))).toEqual([]);
    expect(journals(keys(copy))).toEqual([]);
    expect(JSON.parse(readFileSync(interviewFile(copy, 'A'), 'utf8'))).toEqual(saved);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test('a damaged record in the middle of the journal stops the start with its path and changes nothing', async () => {
  const bot = openBot();
  await answered(bot, 3);
  const copy = crashCopy();
  try {
    const journal = journalOf(data(copy));
    const bytes = readFileSync(journal);
    bytes.writeUInt8(bytes.readUInt8(JOURNAL_MAGIC.length + 40) ^ 0x01, JOURNAL_MAGIC.length + 40);
    writeFileSync(journal, bytes);
    const restarted = openBot(copy);
    await expect(restarted.answers.getInterview('default', 'A')).rejects.toThrow(`${journal} is corrupt`);
    expect(readFileSync(journal)).toEqual(bytes);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test('replay applies the generations oldest first and the records in order, removals included', async () => {
  mkdirSync(data(), { recursive: true });
  const file = 'rounds/default/interviews/A.json';
  const version = (rev: number) => JSON.stringify({ ...build('A'), rev });
  // Generation 10 was written after generation 9 (its name sorts after it as a number, not as text).
  writeFileSync(
    join(data(), 'journal-000010.wal'),
    Buffer.concat([JOURNAL_MAGIC, encodeRecord({ file, text: version(7) }), encodeRecord({ file, text: version(3) })]),
  );
  writeFileSync(
    join(data(), 'journal-000009.wal'),
    Buffer.concat([JOURNAL_MAGIC, encodeRecord({ file, text: version(5) }), encodeRecord({ file, text: null })]),
  );
  writeFileSync(
    join(data(), 'journal-000002.wal'),
    Buffer.concat([JOURNAL_MAGIC, encodeRecord({ file: 'rounds/default/interviews/B.json', text: version(2) })]),
  );
  writeFileSync(
    join(data(), 'journal-000003.wal'),
    Buffer.concat([JOURNAL_MAGIC, encodeRecord({ file: 'rounds/default/interviews/B.json', text: null })]),
  );
  const bot = openBot();
  expect((await bot.answers.getInterview('default', 'A'))?.rev).toBe(3);
  expect(await bot.answers.getInterview('default', 'B')).toBeNull();
  expect(readdirSync(join(data(), 'rounds', 'default', 'interviews'))).toEqual(['A.json']);
});

test('a withdrawal leaves no trace: when it returns, no journal or file holds the answers or the code link', async () => {
  const bot = openBot();
  await answered(bot, 6, 'Zwaluwstaart');
  await bot.keys.update(who, 'default', () => ({ code: 'A', cards: ['card-1'] }));
  await bot.keys.update(who, 'other', () => ({ code: 'Q' }));
  const everything = () =>
    [...filesBelow(data()), ...filesBelow(keys())].map((file) => readFileSync(file, 'utf8')).join('\n');
  expect(everything()).toContain('Zwaluwstaart');
  await bot.answers.deleteInterview('default', 'A');
  await bot.keys.unlink(who, 'default');
  const left = everything();
  expect(left).not.toContain('Zwaluwstaart');
  expect(left).not.toContain('card-1');
  expect(left).not.toMatch(/"code": "A"/);
  expect(existsSync(interviewFile(dir, 'A'))).toBe(false);
  expect(await bot.keys.lookup(who, 'other')).toEqual({ code: 'Q' });
});

test('a reader beside the running bot sees every acknowledged write, though the files are not up to date', async () => {
  const bot = openBot();
  const saved = await answered(bot, 3);
  await bot.keys.update(who, 'default', () => ({ code: 'A' }));
  await bot.answers.countEvent('default', 'declined');
  expect(existsSync(interviewFile(dir, 'A'))).toBe(false);
  const reader = openLowdbStores(data(), keys(), { lockAs: 'npm run export', readOnlyIfHeld: true });
  open.push(reader);
  expect(await reader.answers.getInterview('default', 'A')).toEqual(saved);
  const listed = [];
  for await (const record of reader.answers.listInterviews('default')) listed.push(record);
  expect(listed).toEqual([saved]);
  expect(await reader.keys.lookup(who, 'default')).toEqual({ code: 'A' });
  expect(await reader.answers.counters('default')).toEqual({ issued: 1, declined: 1, withdrawn: 0 });
  expect(journals(data())).toHaveLength(1);
});

test('a reader beside a bot that just started sees the folders only its journal has made (a new round)', async () => {
  const bot = openBot();
  const round = content.rounds.get('default')!;
  await bot.answers.saveRound(round);
  await bot.answers.saveRound({ ...round, id: 'later' });
  expect(existsSync(join(data(), 'rounds'))).toBe(false);
  const reader = openLowdbStores(data(), keys(), { lockAs: 'npm run digest', readOnlyIfHeld: true });
  open.push(reader);
  expect((await reader.answers.listRounds()).map((r) => r.id)).toEqual(['default', 'later']);
});

test('a full disk under the journal: not saved, nothing acknowledged; the next save works and survives a crash', async () => {
  const bot = openBot();
  const record = await answered(bot, 1);
  let broken = true;
  bot.dataFiles.fault = (op, file) =>
    broken && op === 'write' && file.endsWith('.wal')
      ? Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' })
      : undefined;
  const next = { ...record, rev: record.rev + 1, selection: ['analyseren'] };
  await expect(bot.answers.saveInterview(next, record.rev)).rejects.toBeInstanceOf(StoreUnavailableError);
  expect((await bot.answers.getInterview('default', 'A'))?.rev).toBe(record.rev);
  broken = false;
  await bot.answers.saveInterview(next, record.rev);
  const copy = crashCopy();
  try {
    expect(await openBot(copy).answers.getInterview('default', 'A')).toEqual(next);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
