import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FolderSync } from '../../src/storage/lowdb/folderSync.js';
import { at } from '../support/defined.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'wijzer-folder-sync-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** An fsync that the test finishes by hand; `started(n)` resolves when the n-th one has begun. */
function heldSyncs() {
  const pending: (() => void)[] = [];
  const watchers: { count: number; resolve: () => void }[] = [];
  return {
    pending,
    sync: () =>
      new Promise<void>((resolve) => {
        pending.push(resolve);
        for (const watcher of watchers) if (pending.length >= watcher.count) watcher.resolve();
      }),
    started: (count: number) =>
      new Promise<void>((resolve) => (pending.length >= count ? resolve() : watchers.push({ count, resolve }))),
  };
}

/** Has the promise settled once everything already queued has run? */
const settled = async (promise: Promise<void>) => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

test('renames that ask while an fsync runs share the next one: five at once cost two fsyncs', async () => {
  const syncs = heldSyncs();
  const folder = new FolderSync(root, syncs.sync);
  const asked = [folder.sync(), folder.sync(), folder.sync(), folder.sync(), folder.sync()];
  await syncs.started(1);
  at(syncs.pending, 0, 'held fsync')();
  await syncs.started(2);
  at(syncs.pending, 1, 'held fsync')();
  await Promise.all(asked);
  expect(syncs.pending).toHaveLength(2);
  await folder.close();
});

test('a rename after an fsync started waits for a later one: the running fsync may not cover it', async () => {
  const syncs = heldSyncs();
  const folder = new FolderSync(root, syncs.sync);
  const first = folder.sync();
  await syncs.started(1);
  const second = folder.sync();
  const third = folder.sync();
  at(syncs.pending, 0, 'held fsync')();
  await first;
  await syncs.started(2);
  expect(await settled(second)).toBe(false);
  expect(syncs.pending).toHaveLength(2);
  at(syncs.pending, 1, 'held fsync')();
  await Promise.all([second, third]);
  await folder.close();
});

test('the real fsync of an existing folder succeeds, and a missing folder fails every waiter', async () => {
  const folder = new FolderSync(root);
  await expect(folder.sync()).resolves.toBeUndefined();
  await folder.close();
  const missing = new FolderSync(path.join(root, 'gone'));
  await expect(Promise.all([missing.sync(), missing.sync()])).rejects.toMatchObject({ code: 'ENOENT' });
  await missing.close();
});
