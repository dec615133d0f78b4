import { expect, test } from '@jest/globals';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { Pseudonyms } from '../../src/storage/pseudonyms.js';

/** The cache of pseudonyms gives what the HMAC gives, for every identity, however often and in whatever order. */

const SECRET = Buffer.alloc(32, 5);

test('each identity gets its own pseudonym, the same as computed afresh, asked once or many times', () => {
  const cache = new Pseudonyms(SECRET);
  const people: [string, string][] = [
    ['tenant-1', 'user-1'],
    ['tenant-1', 'user-2'],
    ['tenant-2', 'user-1'],
    // A tenant and user that join to the same text as another pair must not share its entry.
    ['tenant-1user', '-1'],
  ];
  for (let round = 0; round < 3; round++)
    for (const [tenant, user] of people) expect(cache.of(tenant, user)).toBe(pseudonymOf(SECRET, tenant, user));
  expect(new Set(people.map(([tenant, user]) => cache.of(tenant, user))).size).toBe(people.length);
});

test('two caches with different secrets never hand out each other’s pseudonyms', () => {
  const mine = new Pseudonyms(SECRET);
  const theirs = new Pseudonyms(Buffer.alloc(32, 6));
  expect(mine.of('tenant-1', 'user-1')).not.toBe(theirs.of('tenant-1', 'user-1'));
  expect(theirs.of('tenant-1', 'user-1')).toBe(pseudonymOf(Buffer.alloc(32, 6), 'tenant-1', 'user-1'));
});

test('past its bound the cache forgets the oldest and still answers correctly for them', () => {
  const cache = new Pseudonyms(SECRET, 2);
  const first = cache.of('t', 'a');
  cache.of('t', 'b');
  cache.of('t', 'c');
  expect(cache.of('t', 'a')).toBe(first);
  expect(cache.of('t', 'c')).toBe(pseudonymOf(SECRET, 't', 'c'));
});
