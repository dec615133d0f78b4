import type { Content } from '../content/load.js';
import type { Stores } from '../storage/ports.js';
import { digestCards, type DigestCardView } from './card.js';
import { collectDigest } from './collect.js';
import type { Digest } from './aggregate.js';

/**
 * Builds each digest once per round and period, however many channels it goes to, so that every channel gets the
 * same figures; and records it in the round's digest log once, after the first channel got it.
 */
export class DigestComposer {
  private readonly built = new Map<string, Promise<{ digest: Digest; views: DigestCardView[] }>>();

  constructor(private readonly content: Content, private readonly stores: Stores, private readonly root: string, private readonly clock: () => Date = () => new Date()) {}

  private build(roundId: string, period: string): Promise<{ digest: Digest; views: DigestCardView[] }> {
    const key = `${roundId}\u0000${period}`;
    let entry = this.built.get(key);
    if (!entry) {
      entry = (async () => {
        const round = await this.stores.answers.getRound(roundId);
        if (!round) throw new Error(`no round "${roundId}"`);
        const digest = await collectDigest({ stores: this.stores, content: this.content, round, now: this.clock() });
        return { digest, views: digestCards(digest, { root: this.root }) };
      })();
      entry.catch(() => this.built.delete(key));
      this.built.set(key, entry);
    }
    return entry;
  }

  async views(roundId: string, period: string): Promise<DigestCardView[]> {
    return (await this.build(roundId, period)).views;
  }

  async sent(roundId: string, period: string): Promise<void> {
    const { digest } = await this.build(roundId, period);
    if ((await this.stores.answers.digestLog(roundId)).some((e) => e.period === period)) return;
    await this.stores.answers.appendDigestLog(roundId, { period, ...digest.snapshot });
  }
}
