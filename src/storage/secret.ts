import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { bytesOf, secretProblem } from '../config/secretStrength.js';

function decode(name: string, value: string): Buffer {
  const problem = secretProblem(name, value);
  if (problem) throw new Error(problem);
  return bytesOf(value);
}

/** The HMAC secret: from the environment, or (local mode) generated once and kept in the key store. */
export function pseudonymSecret(fromEnv: string | undefined, keyDir: string): Buffer {
  if (fromEnv) return decode('PSEUDONYM_SECRET', fromEnv);
  const file = join(keyDir, 'pseudonym-secret');
  if (!existsSync(file)) {
    mkdirSync(keyDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return decode(file, readFileSync(file, 'utf8').trim());
}

/**
 * A key for one purpose, derived from the pseudonym secret: what it keys (a fingerprint in the answers store, say)
 * cannot be recomputed from the answers store alone, and no two purposes share a key.
 */
export function subKey(secret: Buffer, purpose: 'submit-fingerprint'): Buffer {
  return createHmac('sha256', secret).update(purpose).digest();
}
