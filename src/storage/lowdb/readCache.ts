import { LRUCache } from 'lru-cache';

/**
 * What a store keeps in memory of its files, filled by its reads and by its own writes (the store lock makes it
 * the only writer). A read that was still under way when the store wrote the same file keeps its older result out
 * of memory: else the next turn would decide on a version that is no longer the stored one, and a save built on
 * it would pass the revision check and overwrite what was acknowledged in between. It returns what the write put
 * there instead, whether or not memory still holds it: a read never ends older than a write that finished first.
 */
export class ReadCache<V> {
  private readonly values: LRUCache<string, { value: V }>;
  /** The reads under way, by key: a write hands them its value. */
  private readonly reading = new Map<string, Set<{ newer?: { value: V } }>>();

  constructor(max: number) {
    this.values = new LRUCache({ max });
  }

  /** The value in memory, else what read() returns (kept unless a write of the key overtook it). */
  async get(key: string, read: () => Promise<V>): Promise<V> {
    const cached = this.values.get(key);
    if (cached) return cached.value;
    const ticket: { newer?: { value: V } } = {};
    let tickets = this.reading.get(key);
    if (!tickets) this.reading.set(key, (tickets = new Set()));
    tickets.add(ticket);
    let value: V;
    try {
      value = await read();
    } finally {
      tickets.delete(ticket);
      if (tickets.size === 0 && this.reading.get(key) === tickets) this.reading.delete(key);
    }
    // What the write stored is newer than what this read found (memory may have let it go since).
    if (ticket.newer) return ticket.newer.value;
    this.values.set(key, { value });
    return value;
  }

  /** What the store has just written (null: removed): newer than what any read under way will find. */
  set(key: string, value: V): void {
    for (const ticket of this.reading.get(key) ?? []) ticket.newer = { value };
    this.values.set(key, { value });
  }

  /** The value in memory, if any, without reading or making it recent. */
  peek(key: string): { value: V } | undefined {
    return this.values.peek(key);
  }
}
