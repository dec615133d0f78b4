import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { KeyedLock } from '../keyedLock.js';
import type { KeyEntry, KeyStore } from '../ports.js';
import { readJson, removeJson, writeJson } from './jsonFiles.js';

interface ParticipantKeys {
  rounds: Record<string, KeyEntry>;
}

/** The key store on lowdb: KEY_DIR/participants/<pseudonym>.json maps a pseudonym to its code per round. */
export class LowdbKeyStore implements KeyStore {
  private readonly lock = new KeyedLock();

  constructor(private readonly dir: string) {}

  private file(pseudonym: string): string {
    if (!/^[a-f0-9]{64}$/.test(pseudonym)) throw new Error('a pseudonym is a hex HMAC-SHA256');
    return join(this.dir, 'participants', `${pseudonym}.json`);
  }

  async lookup(pseudonym: string, roundId: string): Promise<KeyEntry | null> {
    return (await readJson<ParticipantKeys>(this.file(pseudonym)))?.rounds[roundId] ?? null;
  }

  link(pseudonym: string, roundId: string, entry: KeyEntry): Promise<void> {
    const file = this.file(pseudonym);
    return this.lock.run(file, async () => {
      const keys = (await readJson<ParticipantKeys>(file)) ?? { rounds: {} };
      await writeJson(file, { rounds: { ...keys.rounds, [roundId]: entry } });
    });
  }

  numberTokens(roundId: string, codes: string[]): Promise<Record<string, string>> {
    if (!/^[A-Za-z0-9-]+$/.test(roundId)) throw new Error('unsafe round id');
    const file = join(this.dir, 'rounds', roundId, 'number-tokens.json');
    return this.lock.run(file, async () => {
      const tokens = (await readJson<Record<string, string>>(file)) ?? {};
      const missing = codes.filter((c) => !tokens[c]);
      for (const code of missing) tokens[code] = randomBytes(16).toString('hex');
      if (missing.length) await writeJson(file, tokens);
      return Object.fromEntries(codes.map((c) => [c, tokens[c]]));
    });
  }

  unlink(pseudonym: string, roundId: string): Promise<void> {
    const file = this.file(pseudonym);
    return this.lock.run(file, async () => {
      const keys = await readJson<ParticipantKeys>(file);
      if (!keys) return;
      const { [roundId]: _gone, ...rest } = keys.rounds;
      if (Object.keys(rest).length === 0) await removeJson(file);
      else await writeJson(file, { rounds: rest });
    });
  }
}
