import { constants, ftruncate, write } from 'node:fs';
import { mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  generations,
  Journal,
  readGenerations,
  type JournalDisk,
  type JournalIo,
} from '../../src/storage/lowdb/journal.js';
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

const writeBytes = promisify(write);
const truncateFile = promisify(ftruncate);

const record = (n: number) => encodeRecord({ file: `rounds/default/interviews/${n}.json`, text: `{"n": ${n}}` });

test('appends made while one is written share the next durable write, in order', async () => {
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

test('a journal file is written O_DSYNC, so that a write returns only once its bytes are durable', async () => {
  const journal = new Journal(root, 1, disk().io);
  await journal.append(record(1), () => undefined);
  const [file] = await generations(root);
  // The kernel's own account of the open file: /proc/self/fdinfo lists its open flags (octal).
  const fds = await readdir('/proc/self/fd');
  const links = await Promise.all(fds.map(async (fd) => [fd, await readlink(`/proc/self/fd/${fd}`).catch(() => '')]));
  const fd = links.find(([, target]) => target === file?.file)?.[0];
  expect(fd).toBeDefined();
  const flags = /^flags:\s*([0-7]+)$/m.exec(await readFile(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
  expect(parseInt(flags ?? '0', 8) & constants.O_DSYNC).toBe(constants.O_DSYNC);
  await journal.seal();
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

/** A disk that takes `cut` bytes of the write of batch `failing` (counted from 1), then fails as a full one does. */
function cutDisk(failing: number, cut: number, truncates = true): JournalIo {
  let batch = 0;
  let taken: number | null = null;
  const enospc = () => Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
  return {
    write: async (fd, bytes, offset, length) => {
      if (offset === 0) batch++;
      if (batch !== failing) return writeBytes(fd, bytes, offset, length);
      if (taken !== null || cut === 0) throw enospc();
      taken = cut;
      return writeBytes(fd, bytes, offset, cut);
    },
    truncate: async (fd, length) => {
      if (!truncates) throw Object.assign(new Error('EIO'), { code: 'EIO' });
      await truncateFile(fd, length);
    },
  };
}

const put = (name: string, text: string) => encodeRecord({ file: name, text });

/** What a start replays from the folder: each file's last content, as the store would serve it. */
async function replayed(io: JournalDisk): Promise<Map<string, string | null>> {
  const files = new Map<string, string | null>();
  for (const generation of await readGenerations(root, io))
    for (const record of generation.records) files.set(record.file, record.text);
  return files;
}

/**
 * One acknowledged append, then a batch of two that the disk cuts off after `cut` bytes, then one more
 * acknowledged append (a new version of the second file of the failed batch).
 */
async function cutAppend(cut: number, truncates = true): Promise<{ rejected: number; io: JournalDisk }> {
  const { io } = disk();
  const journal = new Journal(root, 1, io, cutDisk(2, cut, truncates));
  const first = journal.append(put('a.json', 'a1'), () => undefined);
  // Queued while the first is written: they go to the disk together, in the second batch.
  const failed = [put('c.json', 'c-unacknowledged'), put('b.json', 'b-unacknowledged')].map((bytes) =>
    journal
      .append(bytes, () => undefined)
      .then(
        () => 0,
        () => 1,
      ),
  );
  await first;
  const rejected = (await Promise.all(failed)).reduce((sum, n) => sum + n, 0);
  await journal.append(put('b.json', 'b2'), () => undefined);
  await journal.seal();
  return { rejected, io };
}

const BATCH = put('b.json', 'b-unacknowledged').length + put('c.json', 'c-unacknowledged').length;

test.each(Array.from({ length: BATCH }, (_, cut) => [cut]))(
  'an append cut off after %i bytes leaves none of its batch to replay, and the later append is read whole',
  async (cut) => {
    const { rejected, io } = await cutAppend(cut);
    expect(rejected).toBe(2);
    expect(Object.fromEntries(await replayed(io))).toEqual({ 'a.json': 'a1', 'b.json': 'b2' });
    expect((await readGenerations(root, io)).map((g) => [g.gen, g.records.length, g.tornBytes])).toEqual([
      [1, 1, 0],
      [2, 1, 0],
    ]);
  },
);

test('when even the cut-back fails, the later append still wins, and no torn record is read', async () => {
  const whole = put('c.json', 'c-unacknowledged').length;
  const { rejected, io } = await cutAppend(whole + 5, false);
  expect(rejected).toBe(2);
  // The failed batch's first record was written whole: it comes back, never acknowledged; the torn one does not.
  expect(Object.fromEntries(await replayed(io))).toEqual({
    'a.json': 'a1',
    'b.json': 'b2',
    'c.json': 'c-unacknowledged',
  });
  const [failedGeneration] = await readGenerations(root, io);
  expect(failedGeneration?.records.map((r) => r.file)).toEqual(['a.json', 'c.json']);
  expect(failedGeneration?.tornBytes).toBe(5);
});
