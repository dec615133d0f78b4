import { LRUCache } from 'lru-cache';
import { pseudonymOf } from './pseudonym.js';

/**
 * The pseudonyms of the people the bot is talking to, each computed once: a turn asks for its sender's pseudonym
 * up to three times (shedding a flood, the flood check, the dialog), and every turn of an interview asks for the
 * same one. Bounded; kept in memory only, like the secret it is made with.
 */
export class Pseudonyms {
  private readonly known: LRUCache<string, string>;

  constructor(
    private readonly secret: Buffer,
    max = 10_000,
  ) {
    this.known = new LRUCache({ max });
  }

  of(tenantId: string, userId: string): string {
    // The same separator as the HMAC's input: neither part of a Teams id holds a NUL.
    const key = `${tenantId}\u0000${userId}`;
    let pseudonym = this.known.get(key);
    if (pseudonym === undefined) {
      pseudonym = pseudonymOf(this.secret, tenantId, userId);
      this.known.set(key, pseudonym);
    }
    return pseudonym;
  }
}
