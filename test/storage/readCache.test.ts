import { expect, test } from '@jest/globals';
import { ReadCache } from '../../src/storage/lowdb/readCache.js';

/** A read that returns `value` only when released. */
function heldRead<V>(value: V): { read: () => Promise<V>; release: () => void } {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  return { read: async () => (await released, value), release };
}

test('a read fills the cache once; null (no such file) is kept too', async () => {
  const cache = new ReadCache<string | null>(10);
  let reads = 0;
  const read = async () => (reads++, null);
  expect(await cache.get('a', read)).toBeNull();
  expect(await cache.get('a', read)).toBeNull();
  expect(reads).toBe(1);
  expect(cache.peek('a')).toEqual({ value: null });
  expect(cache.peek('b')).toBeUndefined();
});

test('a read overtaken by a write keeps its older value out and returns the written one', async () => {
  const cache = new ReadCache<string | null>(10);
  const slow = heldRead('old');
  const reading = cache.get('a', slow.read);
  cache.set('a', 'new');
  slow.release();
  expect(await reading).toBe('new');
  expect(await cache.get('a', async () => 'disk')).toBe('new');
});

test('a read overtaken by a write returns the written value even when memory let it go meanwhile', async () => {
  const cache = new ReadCache<string>(1);
  const slow = heldRead('old');
  const reading = cache.get('a', slow.read);
  cache.set('a', 'new');
  // Memory holds one value: this write evicts the other.
  cache.set('b', 'b1');
  expect(cache.peek('a')).toBeUndefined();
  slow.release();
  expect(await reading).toBe('new');
  expect(cache.peek('a')).toBeUndefined();
  expect(await cache.get('a', async () => 'disk')).toBe('disk');
});

test('a read overtaken by two writes returns the last one', async () => {
  const cache = new ReadCache<string>(1);
  const slow = heldRead('old');
  const reading = cache.get('a', slow.read);
  cache.set('a', 'first');
  cache.set('a', 'second');
  cache.set('b', 'b1');
  slow.release();
  expect(await reading).toBe('second');
});

test('a write that removed the file (null) also wins over a read under way', async () => {
  const cache = new ReadCache<string | null>(10);
  const slow = heldRead<string | null>('old');
  const reading = cache.get('a', slow.read);
  cache.set('a', null);
  slow.release();
  expect(await reading).toBeNull();
  expect(cache.peek('a')).toEqual({ value: null });
});

test('a read that starts after a write fills the cache as usual; other keys are not affected', async () => {
  const cache = new ReadCache<string>(10);
  const before = heldRead('b-old');
  const readingB = cache.get('b', before.read);
  cache.set('a', 'a1');
  before.release();
  expect(await readingB).toBe('b-old');
  expect(cache.peek('b')).toEqual({ value: 'b-old' });
});

test('a failed read leaves nothing in memory and is tried again', async () => {
  const cache = new ReadCache<string>(10);
  await expect(
    cache.get('a', async () => {
      throw new Error('EIO');
    }),
  ).rejects.toThrow('EIO');
  expect(cache.peek('a')).toBeUndefined();
  expect(await cache.get('a', async () => 'ok')).toBe('ok');
});

test('it holds at most max values, the least recently used going first', async () => {
  const cache = new ReadCache<number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  await cache.get('a', async () => -1);
  cache.set('c', 3);
  expect(cache.peek('b')).toBeUndefined();
  expect(cache.peek('a')).toEqual({ value: 1 });
});
