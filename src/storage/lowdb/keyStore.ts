import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyedLock } from '../keyedLock.js';
import type { ConversationTarget, KeyEntry, KeyStore } from '../ports.js';
import { readJson, removeJson, writeJson } from './jsonFiles.js';

interface ParticipantKeys {
  rounds: Record<string, KeyEntry>;
  target?: ConversationTarget;
}

const HASH = /^[a-f0-9]{64}$/;

/** The key store on lowdb: KEY_DIR/participants/<pseudonym>.json holds one participant's codes and chat target. */
export class LowdbKeyStore implements KeyStore {
  private readonly lock = new KeyedLock();

  /** withJobs: the pseudonyms the outbox (in the same KEY_DIR) still names; their targets are not orphans. */
  constructor(private readonly dir: string, private readonly withJobs: () => Promise<Set<string>> = async () => new Set()) {}

  private file(pseudonym: string): string {
    if (!HASH.test(pseudonym)) throw new Error('a pseudonym is a hex HMAC-SHA256');
    return join(this.dir, 'participants', `${pseudonym}.json`);
  }

  private change(pseudonym: string, edit: (keys: ParticipantKeys) => ParticipantKeys): Promise<ParticipantKeys> {
    const file = this.file(pseudonym);
    return this.lock.run(file, async () => {
      const next = edit((await readJson<ParticipantKeys>(file)) ?? { rounds: {} });
      if (Object.keys(next.rounds).length === 0 && !next.target) await removeJson(file);
      else await writeJson(file, next);
      return next;
    });
  }

  async lookup(pseudonym: string, roundId: string): Promise<KeyEntry | null> {
    return (await this.entries(pseudonym))[roundId] ?? null;
  }

  async entries(pseudonym: string): Promise<Record<string, KeyEntry>> {
    return (await readJson<ParticipantKeys>(this.file(pseudonym)))?.rounds ?? {};
  }

  async update(pseudonym: string, roundId: string, change: (entry: KeyEntry | null) => KeyEntry | null): Promise<KeyEntry | null> {
    let result: KeyEntry | null = null;
    await this.change(pseudonym, (keys) => {
      const { [roundId]: current, ...rest } = keys.rounds;
      result = change(current ?? null);
      return { ...keys, rounds: result ? { ...rest, [roundId]: result } : rest };
    });
    return result;
  }

  /** Forgets the participant's entry in a round, and their chat target too when no other round knows them. */
  async unlink(pseudonym: string, roundId: string): Promise<void> {
    await this.change(pseudonym, (keys) => {
      const { [roundId]: _gone, ...rounds } = keys.rounds;
      return Object.keys(rounds).length ? { ...keys, rounds } : { rounds };
    });
  }

  private async pseudonyms(): Promise<string[]> {
    try {
      return (await readdir(join(this.dir, 'participants'))).filter((n) => n.endsWith('.json')).sort().map((n) => n.slice(0, -5));
    } catch {
      return [];
    }
  }

  async participants(roundId: string): Promise<{ pseudonym: string; entry: KeyEntry }[]> {
    const out: { pseudonym: string; entry: KeyEntry }[] = [];
    for (const pseudonym of await this.pseudonyms()) {
      const entry = (await this.entries(pseudonym))[roundId];
      if (entry) out.push({ pseudonym, entry });
    }
    return out;
  }

  async saveTarget(pseudonym: string, target: ConversationTarget): Promise<void> {
    await this.change(pseudonym, (keys) => ({ ...keys, target }));
  }

  async target(pseudonym: string): Promise<ConversationTarget | null> {
    return (await readJson<ParticipantKeys>(this.file(pseudonym)))?.target ?? null;
  }

  async purgeOrphanTargets(): Promise<number> {
    let purged = 0;
    const named = await this.withJobs();
    for (const pseudonym of await this.pseudonyms()) {
      const stored = await readJson<ParticipantKeys>(this.file(pseudonym));
      if (!stored?.target || Object.keys(stored.rounds).length || named.has(pseudonym)) continue;
      await this.change(pseudonym, (keys) => {
        if (Object.keys(keys.rounds).length) return keys;
        purged++;
        return { rounds: {} };
      });
    }
    return purged;
  }

  async researchers(): Promise<string[]> {
    return (await readJson<{ ids: string[] }>(join(this.dir, 'researchers.json')))?.ids ?? [];
  }

  setResearchers(ids: string[]): Promise<void> {
    const file = join(this.dir, 'researchers.json');
    return this.lock.run(file, () => writeJson(file, { ids: [...new Set(ids)].sort() }));
  }

  async digestChannels(roundId: string): Promise<ConversationTarget[]> {
    return (await readJson<ConversationTarget[]>(this.roundFile(roundId, 'digest-channels.json'))) ?? [];
  }

  addDigestChannel(roundId: string, target: ConversationTarget): Promise<boolean> {
    const file = this.roundFile(roundId, 'digest-channels.json');
    return this.lock.run(file, async () => {
      const channels = (await readJson<ConversationTarget[]>(file)) ?? [];
      if (channels.some((c) => c.conversationId === target.conversationId)) return false;
      await writeJson(file, [...channels, target]);
      return true;
    });
  }

  removeDigestChannels(roundId: string): Promise<number> {
    const file = this.roundFile(roundId, 'digest-channels.json');
    return this.lock.run(file, async () => {
      const channels = (await readJson<ConversationTarget[]>(file)) ?? [];
      await removeJson(file);
      return channels.length;
    });
  }

  private roundFile(roundId: string, name: string): string {
    if (!/^[A-Za-z0-9-]+$/.test(roundId)) throw new Error('unsafe round id');
    return join(this.dir, 'rounds', roundId, name);
  }

  numberTokens(roundId: string, codes: string[]): Promise<Record<string, string>> {
    const file = this.roundFile(roundId, 'number-tokens.json');
    return this.lock.run(file, async () => {
      const tokens = (await readJson<Record<string, string>>(file)) ?? {};
      const missing = codes.filter((c) => !tokens[c]);
      for (const code of missing) tokens[code] = randomBytes(16).toString('hex');
      if (missing.length) await writeJson(file, tokens);
      return Object.fromEntries(codes.map((c) => [c, tokens[c]]));
    });
  }
}
