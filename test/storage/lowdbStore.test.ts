import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecord } from '../../src/interview/engine.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import { LowdbKeyStore } from '../../src/storage/lowdb/keyStore.js';
import { StoreFiles } from '../../src/storage/lowdb/storeFiles.js';
import { StaleWriteError, type Stores } from '../../src/ports/stores.js';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { contextFor } from '../support/context.js';

let dir: string;
let stores: Stores;
const ctx = contextFor();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-store-'));
  stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('codes are handed out in order of consent and survive a new store instance', async () => {
  const a = await stores.answers.createInterview('default', (code) => createRecord(ctx, code, false, null));
  const b = await stores.answers.createInterview('default', (code) => createRecord(ctx, code, true, null));
  expect([a.code, b.code]).toEqual(['A', 'B']);
  expect(a.rev).toBe(1);
  const reopened = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
  const c = await reopened.answers.createInterview('default', (code) => createRecord(ctx, code, false, null));
  expect(c.code).toBe('C');
  expect(await reopened.answers.getInterview('default', 'B')).toEqual(b);
});

test('concurrent consents never share a code', async () => {
  const created = await Promise.all(
    Array.from({ length: 30 }, () =>
      stores.answers.createInterview('default', (code) => createRecord(ctx, code, false, null)),
    ),
  );
  expect(new Set(created.map((r) => r.code)).size).toBe(30);
  expect((await stores.answers.counters('default')).issued).toBe(30);
});

test('a save against an older revision is refused and changes nothing', async () => {
  const record = await stores.answers.createInterview('default', (code) => createRecord(ctx, code, false, null));
  await stores.answers.saveInterview({ ...record, rev: 2, selection: ['analyseren'] }, 1);
  await expect(stores.answers.saveInterview({ ...record, rev: 2, selection: ['empathie'] }, 1)).rejects.toBeInstanceOf(
    StaleWriteError,
  );
  expect((await stores.answers.getInterview('default', 'A'))?.selection).toEqual(['analyseren']);
});

test('withdrawal deletes the interview; counters carry no identity', async () => {
  await stores.answers.createInterview('default', (code) => createRecord(ctx, code, false, null));
  await stores.answers.deleteInterview('default', 'A');
  await stores.answers.countEvent('default', 'withdrawn');
  await stores.answers.countEvent('default', 'declined');
  expect(await stores.answers.getInterview('default', 'A')).toBeNull();
  expect(await stores.answers.counters('default')).toEqual({ issued: 1, declined: 1, withdrawn: 1 });
  const listed = [];
  for await (const r of stores.answers.listInterviews('default')) listed.push(r);
  expect(listed).toEqual([]);
});

test('the key store maps a pseudonym to a code per round, and forgets it', async () => {
  const secret = Buffer.alloc(32, 7);
  const p = pseudonymOf(secret, 'tenant', 'user-1');
  expect(p).toMatch(/^[a-f0-9]{64}$/);
  expect(pseudonymOf(secret, 'tenant', 'user-2')).not.toBe(p);
  expect(pseudonymOf(Buffer.alloc(32, 8), 'tenant', 'user-1')).not.toBe(p);
  await stores.keys.update(p, 'default', () => ({ code: 'A' }));
  await stores.keys.update(p, 'other', () => ({ declined: true }));
  expect(await stores.keys.participants('other')).toEqual([{ pseudonym: p, entry: { declined: true } }]);
  expect(await stores.keys.lookup(p, 'default')).toEqual({ code: 'A' });
  await stores.keys.unlink(p, 'default');
  expect(await stores.keys.lookup(p, 'default')).toBeNull();
  expect(await stores.keys.lookup(p, 'other')).toEqual({ declined: true });
  await stores.keys.unlink(p, 'other');
  expect(readdirSync(join(dir, 'keys', 'participants'))).toEqual([]);
});

test('the key store may not live inside the answers store, nor the other way round', () => {
  expect(() => openLowdbStores(join(dir, 'data'), join(dir, 'data', 'keys'))).toThrow(/separate folders/);
  expect(() => openLowdbStores(join(dir, 'keys', 'data'), join(dir, 'keys'))).toThrow(/separate folders/);
});

test('file names are never built from unsafe input', async () => {
  await expect(stores.answers.getInterview('../etc', 'A')).rejects.toThrow(/unsafe/);
  await expect(stores.keys.lookup('not-a-hash', 'default')).rejects.toThrow(/hex/);
});

test('the key store writes a participant file only when its content changes', async () => {
  const files = new StoreFiles(join(dir, 'counted-keys'), 'keys');
  let writes = 0;
  // Every write of a JSON file goes through writeJsonText (writeJson too).
  const write = files.writeJsonText.bind(files);
  files.writeJsonText = (...args) => {
    writes++;
    return write(...args);
  };
  const keys = new LowdbKeyStore(join(dir, 'counted-keys'), files);
  const p = pseudonymOf(Buffer.alloc(32, 1), 'tenant', 'user');
  const target = { channelId: 'msteams', serviceUrl: 'https://smba.example/', tenantId: 'tenant', userId: '29:u' };
  await keys.update(p, 'default', (e) => ({ ...e, code: 'A', declined: undefined }));
  await keys.saveTarget(p, target);
  expect(writes).toBe(2);
  // What a turn sends again: the same entry (undefined fields are not stored) and the same target.
  await keys.update(p, 'default', (e) => ({ ...e, code: 'A', declined: undefined }));
  await keys.saveTarget(p, { ...target });
  expect(writes).toBe(2);
  await keys.update(p, 'default', (e) => ({ ...e, snoozedUntil: '2026-12-03T09:00:00.000Z' }));
  expect(writes).toBe(3);
  expect(await new LowdbKeyStore(join(dir, 'counted-keys')).entries(p)).toEqual({
    default: { code: 'A', snoozedUntil: '2026-12-03T09:00:00.000Z' },
  });
  // An entry handed back as it was (a card id already remembered) writes nothing, in a file of several rounds too.
  await keys.update(p, 'later', () => ({ code: 'B' }));
  expect(writes).toBe(4);
  await keys.update(p, 'default', (e) => e);
  expect(writes).toBe(4);
});
