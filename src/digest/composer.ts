import { isDeepStrictEqual } from 'node:util';
import type { Content } from '../content/load.js';
import type { Round } from '../content/schema.js';
import type { DigestLogEntry, Stores } from '../ports/stores.js';
import { digestCards, type DigestCardView } from './card.js';
import { collectDigest } from './collect.js';
import { entryOf, shownDetails } from './gate.js';
import type { Digest } from './aggregate.js';

/**
 * Builds each digest once per round and period, however many channels it goes to, so that every channel gets the
 * same figures. What a period showed is recorded in the round's digest log when it is first built, before any
 * channel gets it: the next digest's decision to show details (src/digest/gate.ts) must count it even if sending
 * fails half-way, and a rebuild of the period (a restart, a second instance) must decide as the first build did.
 */
export class DigestComposer {
  private readonly built = new Map<string, Promise<DigestCardView[]>>();

  constructor(
    private readonly content: Content,
    private readonly stores: Stores,
    private readonly root: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private collect(round: Round, period: string, log: DigestLogEntry[]): Promise<Digest> {
    return collectDigest({ stores: this.stores, content: this.content, round, period, log, now: this.clock() });
  }

  private async record(round: Round, period: string): Promise<Digest> {
    const log = await this.stores.answers.digestLog(round.id);
    const digest = await this.collect(round, period, log);
    if (entryOf(log, period)) return digest;
    const entry: DigestLogEntry = { period, ...digest.snapshot };
    await this.stores.answers.appendDigestLog(round.id, entry);
    // Another instance may have recorded a digest meanwhile, of this period or another: the log's order decides
    // (src/digest/gate.ts), and when it takes this digest's details away, it is built again without them.
    const now = await this.stores.answers.digestLog(round.id);
    const kept =
      isDeepStrictEqual(entryOf(now, period), entry) && shownDetails(now, period, round.digest.k) === entry.details;
    return kept ? digest : this.collect(round, period, now);
  }

  views(roundId: string, period: string): Promise<DigestCardView[]> {
    const key = `${roundId}\u0000${period}`;
    let entry = this.built.get(key);
    if (!entry) {
      entry = (async () => {
        const round = await this.stores.answers.getRound(roundId);
        if (!round) throw new Error(`no round "${roundId}"`);
        return digestCards(await this.record(round, period), { root: this.root });
      })();
      entry.catch(() => this.built.delete(key));
      this.built.set(key, entry);
    }
    return entry;
  }
}
