import pg from 'pg';
import { main as migrate } from '../../scripts/migrate.js';
import { createRecord } from '../../src/interview/engine.js';
import type { OutboxJob } from '../../src/ports/outbox.js';
import { StaleWriteError } from '../../src/ports/stores.js';
import {
  isTransientDatabaseError,
  openPostgresStores,
  readPostgresOptions,
  schemaStatus,
  type PostgresStores,
} from '../../src/storage/postgres/index.js';
import { expectedMigrations } from '../../src/storage/postgres/schema.js';
import { contextFor } from '../support/context.js';
import { adminPool, createDatabasePair, type DatabasePair } from '../support/postgres.js';

/** What only the PostgreSQL stores have: two databases that must differ, a versioned schema, claims with a lease. */

let pair: DatabasePair;
let admin: { answers: pg.Pool; keys: pg.Pool };
const opened: PostgresStores[] = [];
const ctx = contextFor();

async function open(options: { claimLeaseMs?: number } = {}): Promise<PostgresStores> {
  const stores = await openPostgresStores({
    databaseUrl: pair.databaseUrl,
    keyDatabaseUrl: pair.keyDatabaseUrl,
    poolMax: 3,
    ...options,
  });
  opened.push(stores);
  return stores;
}

function lines(): { out: string[]; err: string[]; io: { out: (l: string) => void; err: (l: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l) => out.push(l), err: (l) => err.push(l) } };
}

beforeAll(async () => {
  pair = await createDatabasePair({ migrate: false });
  admin = {
    answers: adminPool(pair.databaseUrl),
    keys: adminPool(pair.keyDatabaseUrl),
  };
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await Promise.allSettled([admin?.answers.end(), admin?.keys.end()]);
  await pair?.drop();
});

describe('schema versions', () => {
  const env = () => ({ DATABASE_URL: pair.databaseUrl, KEY_DATABASE_URL: pair.keyDatabaseUrl });

  test('an empty database is refused, naming the command; npm run migrate brings both up; twice is harmless', async () => {
    const before = await schemaStatus(admin.answers, 'answers');
    expect(before).toMatchObject({
      current: null,
      expected: expectedMigrations('answers').at(-1),
      ok: false,
      unknown: [],
    });
    expect(before.pending).toEqual(expectedMigrations('answers'));
    await expect(open()).rejects.toThrow(/answers database \(DATABASE_URL\) has no schema yet: run `npm run migrate`/);

    const check = lines();
    expect(await migrate(['--check'], env(), check.io)).toBe(1);

    const first = lines();
    expect(await migrate([], env(), first.io)).toBe(0);
    expect(first.out.join('\n')).toMatch(/answers: applied 1767225600000_answers-schema/);
    expect(first.out.join('\n')).toMatch(/keys: applied 1767225600000_keys-schema/);
    const second = lines();
    expect(await migrate([], env(), second.io)).toBe(0);
    expect(second.out).toEqual(expect.arrayContaining(['answers: nothing to apply', 'keys: nothing to apply']));
    expect(await migrate(['--check'], env(), lines().io)).toBe(0);

    for (const which of ['answers', 'keys'] as const) {
      expect(await schemaStatus(admin[which], which)).toMatchObject({
        ok: true,
        pending: [],
        unknown: [],
        current: expectedMigrations(which).at(-1),
      });
    }
    await (await open()).ready();
  });

  test('an older schema is refused: the bot says to run npm run migrate', async () => {
    const last = expectedMigrations('keys').at(-1)!;
    const { rows } = await admin.keys.query(
      'DELETE FROM wijzer_migrations WHERE name = $1 RETURNING id, name, run_on',
      [last],
    );
    try {
      await expect(open()).rejects.toThrow(
        /keys database \(KEY_DATABASE_URL\) has (no schema yet|an older schema \([^)]*\)): run `npm run migrate`/,
      );
      expect((await schemaStatus(admin.keys, 'keys')).pending).toEqual([last]);
    } finally {
      await admin.keys.query('INSERT INTO wijzer_migrations (id, name, run_on) VALUES ($1, $2, $3)', [
        rows[0].id,
        rows[0].name,
        rows[0].run_on,
      ]);
    }
  });

  test('a newer schema is refused, by the bot, by its readiness check, and by npm run migrate', async () => {
    const stores = await open();
    await admin.answers.query(
      `INSERT INTO wijzer_migrations (name, run_on) VALUES ('1999999999999_from-the-future', now())`,
    );
    try {
      await expect(open()).rejects.toThrow(
        /answers database \(DATABASE_URL\) has a newer schema than this version of Wijzer knows \(1999999999999_from-the-future\)/,
      );
      await expect(stores.ready()).rejects.toThrow(/newer schema/);
      const run = lines();
      expect(await migrate([], env(), run.io)).toBe(1);
      expect(run.err.join('\n')).toMatch(/newer schema/);
    } finally {
      await admin.answers.query(`DELETE FROM wijzer_migrations WHERE name = '1999999999999_from-the-future'`);
    }
    await stores.ready();
  });
});

describe('two databases', () => {
  test('both URLs or neither', () => {
    expect(readPostgresOptions({})).toBeNull();
    expect(() => readPostgresOptions({ DATABASE_URL: 'postgresql://a/answers' })).toThrow(
      /DATABASE_URL is set but KEY_DATABASE_URL is not/,
    );
    expect(() => readPostgresOptions({ KEY_DATABASE_URL: 'postgresql://a/keys' })).toThrow(
      /KEY_DATABASE_URL is set but DATABASE_URL is not/,
    );
    expect(() =>
      readPostgresOptions({
        DATABASE_URL: 'postgresql://a/x',
        KEY_DATABASE_URL: 'postgresql://a/y',
        PG_POOL_MAX: 'many',
      }),
    ).toThrow(/PG_POOL_MAX/);
    expect(
      readPostgresOptions({
        DATABASE_URL: 'postgresql://a/x',
        KEY_DATABASE_URL: 'postgresql://a/y',
        PG_POOL_MAX: '4',
        OUTBOX_CLAIM_LEASE_SEC: '30',
      }),
    ).toMatchObject({
      poolMax: 4,
      claimLeaseMs: 30000,
      statementTimeoutMs: 10000,
    });
  });

  test('the same database under two URLs is refused after connecting, with a clear message', async () => {
    await expect(
      openPostgresStores({ databaseUrl: pair.databaseUrl, keyDatabaseUrl: pair.databaseUrl }),
    ).rejects.toThrow(/same/);
    // Another spelling of the same database: the strings differ, the database does not.
    const alias = `${pair.databaseUrl}${pair.databaseUrl.includes('?') ? '&' : '?'}application_name=other-spelling`;
    const error = await openPostgresStores({ databaseUrl: pair.databaseUrl, keyDatabaseUrl: alias }).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /DATABASE_URL and KEY_DATABASE_URL lead to the same database \(database "wijzer_test_\w+_answers"/,
    );
    const run = lines();
    expect(await migrate([], { DATABASE_URL: pair.databaseUrl, KEY_DATABASE_URL: alias }, run.io)).toBe(1);
    expect(run.err.join('\n')).toMatch(/same database/);
  });

  test('an unreachable database is named', async () => {
    const nowhere = pair.keyDatabaseUrl.replace(/_keys(\?|$)/, '_nowhere$1');
    await expect(
      openPostgresStores({ databaseUrl: pair.databaseUrl, keyDatabaseUrl: nowhere, connectionTimeoutMs: 2000 }),
    ).rejects.toThrow(/cannot reach the keys database \(KEY_DATABASE_URL\)/);
  });
});

describe('consistency', () => {
  beforeEach(async () => {
    await admin.answers.query('DELETE FROM interviews; DELETE FROM round_counters');
    await admin.keys.query('DELETE FROM outbox; DELETE FROM outbox_instances');
  });

  test('two instances making the same number tokens in opposite orders never deadlock, and agree', async () => {
    const [a, b] = [await open(), await open()];
    const codes = Array.from({ length: 400 }, (_, i) => `C${i}`);
    for (let round = 0; round < 5; round++) {
      const roundId = `tokens-${round}`;
      const [x, y] = await Promise.all([
        a.keys.numberTokens(roundId, codes),
        b.keys.numberTokens(roundId, [...codes].reverse()),
      ]);
      expect(x).toEqual([...y].reverse());
    }
  });

  test('a consent whose interview cannot be stored uses up no code', async () => {
    const stores = await open();
    await expect(
      stores.answers.createInterview('default', () => {
        throw new Error('engine failed');
      }),
    ).rejects.toThrow('engine failed');
    expect(await stores.answers.counters('default')).toEqual({ issued: 0, declined: 0, withdrawn: 0 });
    expect((await stores.answers.createInterview('default', (code) => createRecord(ctx, code, false, null))).code).toBe(
      'A',
    );
  });

  test('the completed flag follows every save, and rows from before the flag existed are read to tell', async () => {
    const stores = await open();
    const a = await stores.answers.createInterview('default', (code) => createRecord(ctx, code, false, null));
    const b = await stores.answers.createInterview('default', (code) => createRecord(ctx, code, false, null));
    await stores.answers.saveInterview({ ...a, rev: 2, completedAt: '2026-11-25T11:00:00.000Z' }, 1);
    expect(await stores.answers.completedCodes('default')).toEqual(['A']);
    await stores.answers.saveInterview({ ...a, rev: 3, completedAt: null }, 2);
    expect(await stores.answers.completedCodes('default')).toEqual([]);
    // As the migration leaves rows saved by an older version: completed unknown.
    await admin.answers.query(`UPDATE interviews SET completed = NULL, data = $1::json WHERE code = 'B'`, [
      JSON.stringify({ ...b, completedAt: '2026-11-25T11:00:00.000Z' }),
    ]);
    expect(await stores.answers.completedCodes('default')).toEqual(['B']);
  });

  test('interviews come back by COPY as stored (a NUL, quotes, backslashes); a reader that stops mid-COPY frees its connection', async () => {
    const stores = await open();
    const saved = [];
    for (let i = 0; i < 3; i++) {
      const created = await stores.answers.createInterview('default', (code) => createRecord(ctx, code, false, null));
      const record = {
        ...created,
        rev: 2,
        answers: { named: { first: `a "quote", a \\ backslash, a \u0000 NUL and ${i}`, second: 'x'.repeat(400_000) } },
      };
      await stores.answers.saveInterview(record, 1);
      saved.push(record);
    }
    const codes = saved.map((r) => r.code).reverse();
    const read = async () => {
      const out = [];
      for await (const r of stores.answers.interviewsByCode('default', codes)) out.push(r);
      return out;
    };
    expect(await read()).toEqual([...saved].reverse());
    // More early stops than the pool has connections (3), each while most of the COPY is still to come (1.2 MB): a
    // connection with a COPY left running must not go back to the pool.
    for (let i = 0; i < 5; i++) {
      for await (const record of stores.answers.interviewsByCode('default', codes)) {
        expect(record.code).toBe(codes[0]);
        break;
      }
    }
    expect(await read()).toHaveLength(3);
    expect(await stores.answers.counters('default')).toEqual({ issued: 3, declined: 0, withdrawn: 0 });
  });

  test('recover leaves a claim alone while its lease runs or its instance is alive', async () => {
    const live = await open(); // Default lease: 2 minutes.
    const job = (id: string): OutboxJob => ({
      id,
      kind: 'invite',
      roundId: 'default',
      pseudonym: 'a'.repeat(64),
      status: 'pending',
      attempts: 0,
      target: { channelId: 'msteams', serviceUrl: 'https://smba.example/', tenantId: 't', userId: '29:u' },
      notBefore: '2026-11-25T10:00:00.000Z',
      createdAt: '2026-11-25T10:00:00.000Z',
    });
    await live.outbox.enqueue(['dead-old', 'dead-fresh', 'live-old'].map(job));
    const now = new Date();
    for (const id of ['dead-old', 'dead-fresh', 'live-old']) {
      expect(await live.outbox.claim(id, now)).toBe(true);
      await live.outbox.markStarted(id, now);
    }
    // Two of them were claimed by an instance that was killed (it never said goodbye, its heartbeat stopped).
    await admin.keys.query(
      `INSERT INTO outbox_instances (id, seen_at) VALUES ('killed', now() - interval '5 minutes')`,
    );
    await admin.keys.query(`UPDATE outbox SET claimed_by = 'killed' WHERE id IN ('dead-old', 'dead-fresh')`);
    await admin.keys.query(
      `UPDATE outbox SET claim_started = now() - interval '3 minutes' WHERE id IN ('dead-old', 'live-old')`,
    );

    expect(await live.outbox.recover()).toBe(1);
    const status = async () => Object.fromEntries((await live.outbox.list('default')).map((j) => [j.id, j.status]));
    expect(await status()).toEqual({ 'dead-old': 'uncertain', 'dead-fresh': 'sending', 'live-old': 'sending' });

    // The live instance stops refreshing its heartbeat (frozen, or killed): after the lease its claim is settled too.
    await admin.keys.query(`UPDATE outbox_instances SET seen_at = now() - interval '3 minutes' WHERE id = $1`, [
      live.outbox.instanceId,
    ]);
    const other = await open();
    expect(await other.outbox.recover()).toBe(1);
    expect(await status()).toEqual({ 'dead-old': 'uncertain', 'dead-fresh': 'sending', 'live-old': 'uncertain' });
  });

  test('after the server dropped every connection the stores carry on by themselves; outages are told from mistakes', async () => {
    const stores = await open();
    await Promise.all([stores.answers.counters('default'), stores.keys.researchers()]); // Pooled connections exist now.
    // The log's JSON lines go to stdout.
    const logged: string[] = [];
    const idleLogged = (which: string) => logged.some((line) => line.includes(`"event":"pg.${which}.idle"`));
    let bothNoticed!: () => void;
    const noticed = new Promise<void>((resolve) => {
      bothNoticed = resolve;
    });
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      if (idleLogged('answers') && idleLogged('keys')) bothNoticed();
      return true;
    };
    try {
      for (const pool of Object.values(admin)) {
        await pool.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
      }
      // Both pools have seen their idle connection break before the stores are used again.
      await noticed;
      expect(
        (await stores.answers.createInterview('default', (code) => createRecord(ctx, code, false, null))).code,
      ).toBe('A');
      expect(await stores.keys.researchers()).toEqual([]);
      expect(logged.filter((line) => /"event":"pg\.\w+\.idle"/.test(line)).length).toBeGreaterThan(0); // The broken idle connections were logged, not thrown.
    } finally {
      process.stdout.write = write;
    }
    const refused = await openPostgresStores({
      databaseUrl: 'postgresql://nobody@127.0.0.1:1/x',
      keyDatabaseUrl: 'postgresql://nobody@127.0.0.1:1/y',
      connectionTimeoutMs: 1000,
    }).catch((e: unknown) => e);
    expect(isTransientDatabaseError(refused)).toBe(true);
    expect(isTransientDatabaseError(await admin.answers.query('SELEC 1').catch((e: unknown) => e))).toBe(false);
    expect(isTransientDatabaseError(new StaleWriteError('default', 'A'))).toBe(false);
    const slow = new pg.Client({ connectionString: pair.databaseUrl, statement_timeout: 10 });
    await slow.connect();
    expect(isTransientDatabaseError(await slow.query('SELECT pg_sleep(1)').catch((e: unknown) => e))).toBe(true);
    await slow.end();
  });

  test('a claiming instance registers itself and leaves on close', async () => {
    const stores = await open();
    const ids = async () =>
      (await admin.keys.query<{ id: string }>('SELECT id FROM outbox_instances')).rows.map((r) => r.id);
    expect(await ids()).toEqual([]);
    await stores.outbox.claim('nothing', new Date());
    expect(await ids()).toEqual([stores.outbox.instanceId]);
    await stores.close();
    expect(await ids()).toEqual([]);
  });
});
