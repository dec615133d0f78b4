import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

function decode(value: string): Buffer {
  const buf = /^[0-9a-fA-F]+$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (buf.length < 32) throw new Error('PSEUDONYM_SECRET must hold at least 32 bytes (64 hex characters)');
  return buf;
}

/** The HMAC secret: from the environment, or (local mode) generated once and kept in the key store. */
export function pseudonymSecret(fromEnv: string | undefined, keyDir: string): Buffer {
  if (fromEnv) return decode(fromEnv);
  const file = join(keyDir, 'pseudonym-secret');
  if (!existsSync(file)) {
    mkdirSync(keyDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return decode(readFileSync(file, 'utf8').trim());
}
