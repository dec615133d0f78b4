import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../src/config/env.js';
import { secretProblem } from '../../src/config/secretStrength.js';
import { pseudonymSecret, subKey } from '../../src/storage/secret.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-secret-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test.each([
  ['too short', randomBytes(16).toString('hex')],
  ['all zeros (hex)', '0'.repeat(64)],
  ['all zeros (base64)', Buffer.alloc(48).toString('base64')],
  ['one repeated character', 'a'.repeat(64)],
  ['one repeated byte', 'ab'.repeat(32)],
  ['a repeated word', Buffer.from('wachtwoord'.repeat(5)).toString('base64')],
  ['a counting pattern', Buffer.from(Array.from({ length: 48 }, (_, i) => i % 8)).toString('hex')],
])('a weak PSEUDONYM_SECRET is refused: %s', (_what, value) => {
  expect(() => pseudonymSecret(value, dir)).toThrow(/PSEUDONYM_SECRET .*openssl rand -base64 48/);
});

test('a weak secret file in KEY_DIR is refused too, naming the file', () => {
  writeFileSync(join(dir, 'pseudonym-secret'), '0'.repeat(64));
  expect(() => pseudonymSecret(undefined, dir)).toThrow(/pseudonym-secret .*openssl rand/);
});

test('random secrets of 32 bytes or more, hex or base64, are accepted; the generated file too', () => {
  for (let i = 0; i < 50; i++) {
    expect(secretProblem('S', randomBytes(32).toString('hex'))).toBeNull();
    expect(secretProblem('S', randomBytes(48).toString('base64'))).toBeNull();
  }
  const hex = randomBytes(32).toString('hex');
  expect(pseudonymSecret(hex, dir).toString('hex')).toBe(hex);
  expect(pseudonymSecret(undefined, dir)).toHaveLength(32);
});

test('a sub-key differs from the secret and is stable', () => {
  const secret = randomBytes(32);
  expect(subKey(secret, 'submit-fingerprint').equals(secret)).toBe(false);
  expect(subKey(secret, 'submit-fingerprint').equals(subKey(Buffer.from(secret), 'submit-fingerprint'))).toBe(true);
});

test('the configuration refuses a weak PSEUDONYM_SECRET before anything starts, saying how to make one', () => {
  expect(() => readConfig({ PSEUDONYM_SECRET: '0'.repeat(64) })).toThrow(/PSEUDONYM_SECRET .*openssl rand -base64 48/);
  expect(readConfig({ PSEUDONYM_SECRET: randomBytes(48).toString('base64') }).PSEUDONYM_SECRET).toBeDefined();
});
