import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generations, Journal, readGenerations, type JournalDisk } from '../../src/storage/lowdb/journal.js';
import { encodeRecord } from '../../src/storage/lowdb/journalRecords.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'wijzer-journal-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The journal's disk with counted batches (one write per batch) and an optional fault. */
function disk(fault?: () => NodeJS.ErrnoException | undefined) {
  const counts = { writes: 0, folderSyncs: 0 };
  const io: JournalDisk = {
    inject: (op) => {
      if (op !== 'write') return;
      counts.writes++;
      const err = fault?.();
      if (err) throw err;
    },
    syncFolder: async () => {
      counts.folderSyncs++;
    },
    corrupt: (file, why) => new Error(`${file}: ${why}`),
  };
  return { io, counts };
}

const record = (n: number) => encodeRecord({ file: `rounds/default/interviews/${n}.json`, text: `{"n": ${n}}` });

test('appends made while one is written share the next write and fdatasync, in order', async () => {
  const { io, counts } = disk();
  const journal = new Journal(root, 1, io);
  const applied: number[] = [];
  await Promise.all(Array.from({ length: 50 }, (_, n) => journal.append(record(n), () => applied.push(n))));
  expect(applied).toEqual(Array.from({ length: 50 }, (_, n) => n));
  // The first append is written at once; the 49 that came meanwhile go together in one more.
  expect(counts.writes).toBe(2);
  // A new generation's name is made durable once, before its first acknowledgement.
  expect(counts.folderSyncs).toBe(1);
  const generation = (await readGenerations(root, io)).at(0);
  expect(generation?.records.map((r) => r.file)).toEqual(applied.map((n) => `rounds/default/interviews/${n}.json`));
  expect((await stat(generation?.file ?? root)).mode & 0o777).toBe(0o600);
});

test('seal ends the generation: later appends go to a new file, and removeUpTo drops the sealed ones', async () => {
  const { io } = disk();
  const journal = new Journal(root, 1, io);
  const gens: number[] = [];
  await journal.append(record(1), (gen) => gens.push(gen));
  expect(await journal.seal()).toBe(1);
  await journal.append(record(2), (gen) => gens.push(gen));
  expect(gens).toEqual([1, 2]);
  expect((await generations(root)).map((g) => g.gen)).toEqual([1, 2]);
  await journal.removeUpTo(1);
  expect(await readdir(root)).toEqual(['journal-000002.wal']);
});

test('a failed write is not acknowledged and nothing more is appended to that file', async () => {
  let broken = true;
  const { io } = disk(() => (broken ? Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }) : undefined));
  const journal = new Journal(root, 1, io);
  const applied: number[] = [];
  await expect(journal.append(record(1), () => applied.push(1))).rejects.toThrow('ENOSPC');
  broken = false;
  await journal.append(record(2), () => applied.push(2));
  expect(applied).toEqual([2]);
  const read = await readGenerations(root, io);
  expect(read.map((g) => [g.gen, g.records.length])).toEqual([
    [1, 0],
    [2, 1],
  ]);
});
