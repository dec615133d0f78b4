import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { KeyedLock } from '../../keyedLock.js';
import type { ConversationTarget, KeyEntry, KeyStore } from '../../ports/stores.js';
import {
  DigestChannelsSchema,
  ExportLinksSchema,
  NumberTokensSchema,
  ParticipantKeysSchema,
  ResearchersSchema,
} from '../records.js';
import { ReadCache } from './readCache.js';
import { StoreFiles } from './storeFiles.js';
import { defined } from '../../defined.js';

interface ParticipantKeys {
  rounds: Record<string, KeyEntry>;
  target?: ConversationTarget;
}

const HASH = /^[a-f0-9]{64}$/;

/** Participants kept in memory: the recently active ones. */
const CACHED_PARTICIPANTS = 20_000;

/**
 * The key store on lowdb: KEY_DIR/participants/<pseudonym>.json holds one participant's codes and chat target.
 * As the answers store, it keeps what it read (the store lock makes it the only writer) and writes a file only
 * when its content changes: the chat target a turn brings is usually the one already stored.
 */
export class LowdbKeyStore implements KeyStore {
  private readonly lock = new KeyedLock();
  /**
   * By file: what it holds as JSON text, or null for no file. Each read parses its own copy, and an unchanged
   * content is told by comparing two strings (see LowdbAnswerStore: text is cheaper to copy and to keep).
   */
  private readonly participantsCache = new ReadCache<string | null>(CACHED_PARTICIPANTS);

  /** withJobs: the pseudonyms the outbox (in the same KEY_DIR) still names; their targets are not orphans. */
  constructor(
    private readonly dir: string,
    private readonly files = new StoreFiles(dir, 'keys'),
    private readonly withJobs: () => Promise<Set<string>> = async () => new Set(),
  ) {}

  private file(pseudonym: string): string {
    if (!HASH.test(pseudonym)) throw new Error('a pseudonym is a hex HMAC-SHA256');
    return join(this.dir, 'participants', `${pseudonym}.json`);
  }

  private stored(pseudonym: string): Promise<string | null> {
    const file = this.file(pseudonym);
    return this.participantsCache.get(file, async () => {
      const keys = await this.files.readJson<ParticipantKeys>(file, ParticipantKeysSchema);
      return keys && JSON.stringify(keys);
    });
  }

  private async read(pseudonym: string): Promise<ParticipantKeys | null> {
    const text = await this.stored(pseudonym);
    return text === null ? null : (JSON.parse(text) as ParticipantKeys);
  }

  /** erase: what the file held must be gone from the journal too when this returns (a withdrawal, retention). */
  private change(
    pseudonym: string,
    edit: (keys: ParticipantKeys) => ParticipantKeys,
    erase = false,
  ): Promise<ParticipantKeys> {
    const file = this.file(pseudonym);
    return this.lock.run(file, async () => {
      const current = await this.stored(pseudonym);
      const next = edit(current === null ? { rounds: {} } : (JSON.parse(current) as ParticipantKeys));
      const empty = Object.keys(next.rounds).length === 0 && !next.target;
      // What the file would hold (undefined fields dropped), compared with what it holds.
      const text = empty ? null : JSON.stringify(next);
      if (text === current) return next;
      if (text === null) await this.files.remove(file);
      else await this.files.writeJsonText(file, text, { erase });
      this.participantsCache.set(file, text);
      return next;
    });
  }

  async lookup(pseudonym: string, roundId: string): Promise<KeyEntry | null> {
    return (await this.entries(pseudonym))[roundId] ?? null;
  }

  async entries(pseudonym: string): Promise<Record<string, KeyEntry>> {
    return (await this.read(pseudonym))?.rounds ?? {};
  }

  /** The entry and the target are in the participant's one file: saved together, they are one durable write. */
  async update(
    pseudonym: string,
    roundId: string,
    change: (entry: KeyEntry | null) => KeyEntry | null,
    target?: ConversationTarget,
  ): Promise<KeyEntry | null> {
    let result: KeyEntry | null = null;
    await this.change(pseudonym, (keys) => {
      const { [roundId]: current, ...rest } = keys.rounds;
      result = change(current ?? null);
      // Unchanged, so unwritten (its round kept in its place in the file).
      if (result === (current ?? null) && !target) return keys;
      if (!result) return { ...keys, rounds: rest };
      return { ...keys, rounds: { ...rest, [roundId]: result }, ...(target && { target }) };
    });
    return result;
  }

  /** Forgets the participant's entry in a round, and their chat target too when no other round knows them. */
  async unlink(pseudonym: string, roundId: string): Promise<void> {
    await this.change(
      pseudonym,
      (keys) => {
        const { [roundId]: _gone, ...rounds } = keys.rounds;
        return Object.keys(rounds).length ? { ...keys, rounds } : { rounds };
      },
      true,
    );
  }

  private async pseudonyms(): Promise<string[]> {
    const names = await this.files.list(join(this.dir, 'participants'));
    return names
      .filter((n) => n.endsWith('.json') && HASH.test(n.slice(0, -5)))
      .sort()
      .map((n) => n.slice(0, -5));
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
    return (await this.read(pseudonym))?.target ?? null;
  }

  async purgeOrphanTargets(): Promise<number> {
    let purged = 0;
    const named = await this.withJobs();
    for (const pseudonym of await this.pseudonyms()) {
      const stored = await this.read(pseudonym);
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
    return (
      (await this.files.readJson<{ ids: string[] }>(join(this.dir, 'researchers.json'), ResearchersSchema))?.ids ?? []
    );
  }

  setResearchers(ids: string[]): Promise<void> {
    const file = join(this.dir, 'researchers.json');
    return this.lock.run(file, async () => void (await this.files.writeJson(file, { ids: [...new Set(ids)].sort() })));
  }

  async digestChannels(roundId: string): Promise<ConversationTarget[]> {
    return (
      (await this.files.readJson<ConversationTarget[]>(
        this.roundFile(roundId, 'digest-channels.json'),
        DigestChannelsSchema,
      )) ?? []
    );
  }

  addDigestChannel(roundId: string, target: ConversationTarget): Promise<boolean> {
    const file = this.roundFile(roundId, 'digest-channels.json');
    return this.lock.run(file, async () => {
      const channels = await this.digestChannels(roundId);
      if (channels.some((c) => c.conversationId === target.conversationId)) return false;
      await this.files.writeJson(file, [...channels, target]);
      return true;
    });
  }

  removeDigestChannels(roundId: string): Promise<number> {
    const file = this.roundFile(roundId, 'digest-channels.json');
    return this.lock.run(file, async () => {
      const channels = await this.digestChannels(roundId);
      if (channels.length) await this.files.remove(file);
      return channels.length;
    });
  }

  /** KEY_DIR/export-links.json: link id to expiry (ms); one process per store, so the lock makes it atomic. */
  private links(edit: (links: Record<string, number>) => boolean, now: Date | null): Promise<boolean> {
    const file = join(this.dir, 'export-links.json');
    return this.lock.run(file, async () => {
      const all = (await this.files.readJson<Record<string, number>>(file, ExportLinksSchema)) ?? {};
      const live = Object.fromEntries(Object.entries(all).filter(([, exp]) => !now || exp > now.getTime()));
      const result = edit(live);
      if (result || Object.keys(live).length !== Object.keys(all).length) await this.files.writeJson(file, live);
      return result;
    });
  }

  async issueLink(id: string, expiresAt: Date): Promise<void> {
    await this.links((links) => {
      links[id] = expiresAt.getTime();
      return true;
    }, null);
  }

  consumeLink(id: string, now: Date): Promise<boolean> {
    return this.links((links) => {
      if (!(id in links)) return false;
      delete links[id];
      return true;
    }, now);
  }

  private roundFile(roundId: string, name: string): string {
    if (!/^[A-Za-z0-9-]+$/.test(roundId)) throw new Error('unsafe round id');
    return join(this.dir, 'rounds', roundId, name);
  }

  /** The round's stored number tokens (for copying the store). */
  async storedNumberTokens(roundId: string): Promise<Record<string, string>> {
    return (
      (await this.files.readJson<Record<string, string>>(
        this.roundFile(roundId, 'number-tokens.json'),
        NumberTokensSchema,
      )) ?? {}
    );
  }

  numberTokens(roundId: string, codes: string[]): Promise<string[]> {
    const file = this.roundFile(roundId, 'number-tokens.json');
    return this.lock.run(file, async () => {
      const tokens = await this.storedNumberTokens(roundId);
      const missing = codes.filter((c) => !tokens[c]);
      for (const code of missing) tokens[code] = randomBytes(16).toString('hex');
      if (missing.length) await this.files.writeJson(file, tokens);
      return codes.map((c) => defined(tokens[c], 'number token just issued'));
    });
  }
}
