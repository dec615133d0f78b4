import { randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { ConversationTarget, KeyEntry, KeyStore } from '../../ports/stores.js';
import { defined } from '../../defined.js';
import { withTransaction } from './pools.js';

const HASH = /^[a-f0-9]{64}$/;

/** Each lost race means another writer's change went in; this many in a row means something is wrong. */
const UPDATE_ATTEMPTS = 100;

function checked(pseudonym: string): string {
  if (!HASH.test(pseudonym)) throw new Error('a pseudonym is a hex HMAC-SHA256');
  return pseudonym;
}

/** The transaction-scoped advisory lock on one participant ($1: the pseudonym), released at commit or rollback. */
const PARTICIPANT_LOCK = `pg_advisory_xact_lock(hashtextextended('wijzer.participant:' || $1, 0))`;

/**
 * Serialises unlink and the writes of a chat target for one participant across instances. A row lock cannot do it
 * when the row does not exist yet, so this takes an advisory lock on the participant instead; it is released also
 * when the connection dies.
 */
async function lockParticipant(client: PoolClient, pseudonym: string): Promise<void> {
  await client.query(`SELECT ${PARTICIPANT_LOCK}`, [pseudonym]);
}

/** The key store on PostgreSQL (KEY_DATABASE_URL): pseudonyms, codes per round, chat targets; never an answer. */
export class PgKeyStore implements KeyStore {
  constructor(private readonly pool: Pool) {}

  async lookup(pseudonym: string, roundId: string): Promise<KeyEntry | null> {
    const { rows } = await this.pool.query<{ entry: KeyEntry }>(
      'SELECT entry FROM key_entries WHERE pseudonym = $1 AND round_id = $2',
      [checked(pseudonym), roundId],
    );
    return rows[0]?.entry ?? null;
  }

  async entries(pseudonym: string): Promise<Record<string, KeyEntry>> {
    const { rows } = await this.pool.query<{ round_id: string; entry: KeyEntry }>(
      'SELECT round_id, entry FROM key_entries WHERE pseudonym = $1 ORDER BY round_id',
      [checked(pseudonym)],
    );
    return Object.fromEntries(rows.map((r) => [r.round_id, r.entry]));
  }

  /**
   * Read, change, then write only if the entry is still what was read (compare and set): two statements, neither in
   * a transaction nor under a lock, so no connection waits idle in a transaction for this process's next statement.
   * When another writer came first the write changes no row, and the change is applied again to what it wrote.
   * With a target the write is one statement that saves both, or neither when it lost the race.
   */
  async update(
    pseudonym: string,
    roundId: string,
    change: (entry: KeyEntry | null) => KeyEntry | null,
    target?: ConversationTarget,
  ): Promise<KeyEntry | null> {
    checked(pseudonym);
    for (let attempt = 1; ; attempt++) {
      const current = await this.lookup(pseudonym, roundId);
      const next = change(current);
      // Returned as read, and no target to save with it: nothing to write.
      if (next === current && !(next && target)) return next;
      const written =
        next && target
          ? await this.replaceWithTarget(pseudonym, roundId, current, next, target)
          : await this.replace(pseudonym, roundId, current, next);
      if (written) return next;
      if (attempt >= UPDATE_ATTEMPTS)
        throw new Error(`the key entry changed under ${UPDATE_ATTEMPTS} attempts in a row to update it`);
    }
  }

  /** Writes next in place of expected, in one statement; false when the stored entry is no longer expected. */
  private async replace(
    pseudonym: string,
    roundId: string,
    expected: KeyEntry | null,
    next: KeyEntry | null,
  ): Promise<boolean> {
    const key = [pseudonym, roundId];
    if (expected === null) {
      if (next === null) return true;
      const { rowCount } = await this.pool.query(
        `INSERT INTO key_entries (pseudonym, round_id, entry) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (pseudonym, round_id) DO NOTHING`,
        [...key, JSON.stringify(next)],
      );
      return rowCount === 1;
    }
    const { rowCount } =
      next === null
        ? await this.pool.query(
            'DELETE FROM key_entries WHERE pseudonym = $1 AND round_id = $2 AND entry = $3::jsonb',
            [...key, JSON.stringify(expected)],
          )
        : await this.pool.query(
            'UPDATE key_entries SET entry = $4::jsonb WHERE pseudonym = $1 AND round_id = $2 AND entry = $3::jsonb',
            [...key, JSON.stringify(expected), JSON.stringify(next)],
          );
    return rowCount === 1;
  }

  /**
   * As replace, and the chat target saved in the same statement (one commit) only when the entry was written. The
   * participant's lock comes first, as in unlink and saveTarget: the statement cannot slip in between unlink's two,
   * and the locks are taken in the same order everywhere (participant, entry, target), so none waits in a circle.
   */
  private async replaceWithTarget(
    pseudonym: string,
    roundId: string,
    expected: KeyEntry | null,
    next: KeyEntry,
    target: ConversationTarget,
  ): Promise<boolean> {
    const write =
      expected === null
        ? `INSERT INTO key_entries (pseudonym, round_id, entry) SELECT $1, $2, $3::jsonb FROM locked
           ON CONFLICT (pseudonym, round_id) DO NOTHING RETURNING 1`
        : `UPDATE key_entries SET entry = $3::jsonb FROM locked
            WHERE pseudonym = $1 AND round_id = $2 AND entry = $5::jsonb RETURNING 1`;
    const { rows } = await this.pool.query<{ written: number }>(
      `WITH locked AS (SELECT ${PARTICIPANT_LOCK}),
       written AS (${write}),
       saved AS (
         INSERT INTO chat_targets (pseudonym, target) SELECT $1, $4::jsonb FROM written
         ON CONFLICT (pseudonym) DO UPDATE SET target = EXCLUDED.target
       )
       SELECT count(*)::int AS written FROM written`,
      [
        pseudonym,
        roundId,
        JSON.stringify(next),
        JSON.stringify(target),
        ...(expected === null ? [] : [JSON.stringify(expected)]),
      ],
    );
    return rows[0]?.written === 1;
  }

  async unlink(pseudonym: string, roundId: string): Promise<void> {
    checked(pseudonym);
    await withTransaction(this.pool, async (client) => {
      await lockParticipant(client, pseudonym);
      await client.query('DELETE FROM key_entries WHERE pseudonym = $1 AND round_id = $2', [pseudonym, roundId]);
      await client.query(
        'DELETE FROM chat_targets WHERE pseudonym = $1 AND NOT EXISTS (SELECT 1 FROM key_entries WHERE pseudonym = $1)',
        [pseudonym],
      );
    });
  }

  async participants(roundId: string): Promise<{ pseudonym: string; entry: KeyEntry }[]> {
    const { rows } = await this.pool.query<{ pseudonym: string; entry: KeyEntry }>(
      'SELECT pseudonym, entry FROM key_entries WHERE round_id = $1 ORDER BY pseudonym',
      [roundId],
    );
    return rows;
  }

  /**
   * One statement that takes the participant's lock and then writes (a statement is its own transaction, so the lock
   * is held for this statement only): it cannot slip in between unlink's two statements.
   */
  async saveTarget(pseudonym: string, target: ConversationTarget): Promise<void> {
    checked(pseudonym);
    await this.pool.query(
      `WITH locked AS (SELECT ${PARTICIPANT_LOCK})
       INSERT INTO chat_targets (pseudonym, target) SELECT $1, $2::jsonb FROM locked
       ON CONFLICT (pseudonym) DO UPDATE SET target = EXCLUDED.target`,
      [pseudonym, JSON.stringify(target)],
    );
  }

  async target(pseudonym: string): Promise<ConversationTarget | null> {
    const { rows } = await this.pool.query<{ target: ConversationTarget }>(
      'SELECT target FROM chat_targets WHERE pseudonym = $1',
      [checked(pseudonym)],
    );
    return rows[0]?.target ?? null;
  }

  /** The outbox lives in this database too (outbox_by_participant serves the second test). */
  async purgeOrphanTargets(): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM chat_targets t
        WHERE NOT EXISTS (SELECT 1 FROM key_entries k WHERE k.pseudonym = t.pseudonym)
          AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.job ->> 'pseudonym' = t.pseudonym)`,
    );
    return rowCount ?? 0;
  }

  async researchers(): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM researchers ORDER BY id');
    return rows.map((r) => r.id);
  }

  async setResearchers(ids: string[]): Promise<void> {
    const unique = [...new Set(ids)];
    await withTransaction(this.pool, async (client) => {
      // One writer at a time: a second setResearchers waits for the first and then replaces its list.
      await client.query('LOCK TABLE researchers IN SHARE ROW EXCLUSIVE MODE');
      await client.query('DELETE FROM researchers WHERE NOT (id = ANY($1::text[]))', [unique]);
      await client.query('INSERT INTO researchers (id) SELECT unnest($1::text[]) ON CONFLICT (id) DO NOTHING', [
        unique,
      ]);
    });
  }

  async digestChannels(roundId: string): Promise<ConversationTarget[]> {
    const { rows } = await this.pool.query<{ target: ConversationTarget }>(
      'SELECT target FROM digest_channels WHERE round_id = $1 ORDER BY seq',
      [roundId],
    );
    return rows.map((r) => r.target);
  }

  async addDigestChannel(roundId: string, target: ConversationTarget): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'INSERT INTO digest_channels (round_id, conversation_key, target) VALUES ($1, $2, $3::jsonb) ON CONFLICT (round_id, conversation_key) DO NOTHING',
      [roundId, target.conversationId ?? '', JSON.stringify(target)],
    );
    return rowCount === 1;
  }

  async removeDigestChannels(roundId: string): Promise<number> {
    const { rowCount } = await this.pool.query('DELETE FROM digest_channels WHERE round_id = $1', [roundId]);
    return rowCount ?? 0;
  }

  /**
   * Creates the missing tokens (the first writer's token wins a race), then reads them all. One statement for all
   * the codes, answering one JSON array in their order: a page of codes matched with `= ANY` scanned the round's
   * every token per page, and a row per code cost more than the array.
   */
  async numberTokens(roundId: string, codes: string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    const wanted = JSON.stringify(codes);
    const select = async () => {
      const { rows } = await this.pool.query<{ tokens: (string | null)[] }>(
        `SELECT json_agg(t.token ORDER BY w.n) AS tokens
           FROM json_array_elements_text($2::json) WITH ORDINALITY AS w(code, n)
           LEFT JOIN number_tokens t ON t.round_id = $1 AND t.code = w.code`,
        [roundId, wanted],
      );
      return defined(rows[0], 'row of an aggregate').tokens;
    };
    let tokens = await select();
    // Only codes without a token yet are inserted (an export of a round seen before inserts nothing); a token that
    // another instance created meanwhile wins (DO NOTHING), and the second read returns it. Rows go in by code, so
    // two instances inserting the same codes lock them in the same order: one waits for the other, neither deadlocks.
    const missing = [...new Set(codes.filter((_, i) => tokens[i] === null))];
    if (missing.length) {
      await this.pool.query(
        `INSERT INTO number_tokens (round_id, code, token)
         SELECT $1, code, token FROM unnest($2::text[], $3::text[]) AS t(code, token)
         ORDER BY code
         ON CONFLICT (round_id, code) DO NOTHING`,
        [roundId, missing, missing.map(() => randomBytes(16).toString('hex'))],
      );
      tokens = await select();
    }
    return tokens.map((token) => defined(token ?? undefined, 'number token just issued'));
  }

  async issueLink(id: string, expiresAt: Date): Promise<void> {
    await this.pool.query('INSERT INTO export_links (id, expires_at) VALUES ($1, $2)', [id, expiresAt]);
  }

  /** One statement: of two instances opening the same link at once, exactly one gets the row. */
  async consumeLink(id: string, now: Date): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM export_links WHERE id = $1 AND expires_at > $2', [id, now]);
    await this.pool.query('DELETE FROM export_links WHERE expires_at <= $1', [now]);
    return rowCount === 1;
  }
}
