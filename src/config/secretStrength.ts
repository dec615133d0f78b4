/* How strong a secret is, checked when the config is read (and again when the secret is loaded). */

const MIN_BYTES = 32;
/** Bits per byte: 32 random bytes give about 4.8, a repeated word or a counting pattern well under 3.5. */
const MIN_ENTROPY = 3.5;
const HOW =
  'generate one with `openssl rand -base64 48` and keep it in the key side (a secret store), never next to the answers';

/** Hex when it reads as hex, base64 otherwise (as `openssl rand -hex` and `-base64` print). */
export function bytesOf(value: string): Buffer {
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
  if (buf.length < MIN_BYTES)
    return `${name} must hold at least ${MIN_BYTES} random bytes (it holds ${buf.length}): ${HOW}.`;
  const bits = shannonBitsPerByte(buf);
  if (bits < MIN_ENTROPY)
    return (
      `${name} is not random enough (${bits.toFixed(1)} bits per byte; all zeros, a repeated character or word): ` +
      `${HOW}.`
    );
  return null;
}
