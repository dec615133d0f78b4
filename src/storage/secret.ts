import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const MIN_BYTES = 32;
/** Bits per byte: 32 random bytes give about 4.8, a repeated word or a counting pattern well under 3.5. */
const MIN_ENTROPY = 3.5;
const HOW = 'generate one with `openssl rand -base64 48` and keep it in the key side (a secret store), never next to the answers';

/** Hex when it reads as hex, base64 otherwise (as `openssl rand -hex` and `-base64` print). */
function bytesOf(value: string): Buffer {
  return /^[0-9a-fA-F]+$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
}

function shannonBitsPerByte(buf: Buffer): number {
  const counts = new Map<number, number>();
  for (const b of buf) counts.set(b, (counts.get(b) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / buf.length) * Math.log2(n / buf.length);
  return bits;
}

/**
 * Why a secret is unfit, or null: too short, or without entropy (all zeros, one repeated character, a repeated
 * word). A weak secret lets anyone with a list of colleagues' Teams ids recompute their pseudonyms.
 */
export function secretProblem(name: string, value: string): string | null {
  const buf = bytesOf(value);
  if (buf.length < MIN_BYTES) return `${name} must hold at least ${MIN_BYTES} random bytes (it holds ${buf.length}): ${HOW}.`;
  const bits = shannonBitsPerByte(buf);
  if (bits < MIN_ENTROPY) return `${name} is not random enough (${bits.toFixed(1)} bits per byte; all zeros, a repeated character or word): ${HOW}.`;
  return null;
}

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
