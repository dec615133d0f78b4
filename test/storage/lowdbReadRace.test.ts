/**
 * A read of a store file that is still under way when the same store writes that file (a bot that just started:
 * the scheduler's first tick reads every interview while the participants' turns save theirs) must not leave its
 * older version in the store's memory. If it does, the next turn decides on that older version: a card the
 * participant already answered is shown again as current, and the save of the second answer passes the revision
 * check and overwrites the first, acknowledged one.
 *
 * The slow read is made deterministic: it reads the file, then waits until the test has saved, then returns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import type { ZodType } from 'zod';
import { createRecord } from '../../src/interview/engine.js';
import { StaleWriteError } from '../../src/ports/stores.js';
import { LowdbAnswerStore } from '../../src/storage/lowdb/answerStore.js';
import { LowdbKeyStore } from '../../src/storage/lowdb/keyStore.js';
import { StoreFiles } from '../../src/storage/lowdb/storeFiles.js';
import { contextFor } from '../support/context.js';

/** The store's file layer, with one read that returns only when the test lets it. */
class HeldRead extends StoreFiles {
  private hold: { file: string; parked: () => void; release: Promise<void> } | null = null;

  /** The next read of a file ending in `name` reads the file, then waits for release(); resolves once it waits. */
  holdNext(name: string): { parked: Promise<void>; release: () => void } {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let parked = () => {};
    const isParked = new Promise<void>((resolve) => (parked = resolve));
    this.hold = { file: name, parked, release: released };
    return { parked: isParked, release };
  }

  override async readJson<T>(file: string, schema: ZodType): Promise<T | null> {
    const value = await super.readJson<T>(file, schema);
    const hold = this.hold;
    if (hold && file.endsWith(hold.file)) {
      this.hold = null;
      hold.parked();
      await hold.release;
    }
    return value;
  }
}

let dir: string;
const ctx = contextFor();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-read-race-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('an interview read overtaken by a save of it: the store keeps the saved version, an older save is refused', async () => {
  const data = join(dir, 'data');
  const created = await new LowdbAnswerStore(data).createInterview('default', (code) =>
    createRecord(ctx, code, false, null),
  );
  // A new process: nothing in memory yet.
  const files = new HeldRead(data, 'answers');
  const answers = new LowdbAnswerStore(data, files);
  const held = files.holdNext(`${created.code}.json`);
  const slowRead = answers.getInterview('default', created.code);
  await held.parked;

  await answers.saveInterview({ ...created, rev: 2, selection: ['analyseren'] }, 1);
  held.release();
  await slowRead;

  expect((await answers.getInterview('default', created.code))?.rev).toBe(2);
  // The same card answered a second time (it was shown again as current): the first answer stays.
  await expect(answers.saveInterview({ ...created, rev: 2, selection: ['empathie'] }, 1)).rejects.toBeInstanceOf(
    StaleWriteError,
  );
  expect((await new LowdbAnswerStore(data).getInterview('default', created.code))?.selection).toEqual(['analyseren']);
});

test('a key file read overtaken by a change of it: the next change builds on the changed version', async () => {
  const keysDir = join(dir, 'keys');
  const pseudonym = 'a'.repeat(64);
  await new LowdbKeyStore(keysDir).update(pseudonym, 'default', () => ({ code: 'A' }));
  const files = new HeldRead(keysDir, 'keys');
  const keys = new LowdbKeyStore(keysDir, files);
  const held = files.holdNext(`${pseudonym}.json`);
  const slowRead = keys.lookup(pseudonym, 'default');
  await held.parked;

  await keys.update(pseudonym, 'default', (entry) => (entry ? { ...entry, cards: ['card-1'] } : entry));
  held.release();
  await slowRead;

  await keys.update(pseudonym, 'default', (entry) =>
    entry ? { ...entry, snoozedUntil: '2026-12-03T08:00:00.000Z' } : entry,
  );
  expect(await new LowdbKeyStore(keysDir).lookup(pseudonym, 'default')).toEqual({
    code: 'A',
    cards: ['card-1'],
    snoozedUntil: '2026-12-03T08:00:00.000Z',
  });
});
