import type pg from 'pg';
import { openPostgresStores } from '../../src/storage/postgres/index.js';
import { adminPool, createDatabasePair, type DatabasePair } from '../support/postgres.js';
import { storeContract } from './contract.js';

let pair: DatabasePair;
let admin: { answers: pg.Pool; keys: pg.Pool };

async function truncateAll(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'wijzer_migrations'`,
  );
  // DELETE, not TRUNCATE: on a few rows it is many times faster.
  await pool.query(rows.map((r) => `DELETE FROM ${r.name};`).join(' '));
}

// Every instance is a new pair of pools with its own instance id: two bot instances on one pair of databases.
// The claim lease is 0 here, so that a sender that closed is recovered at once; the lease itself is tested in
// postgresStore.test.ts.
storeContract('PostgreSQL', {
  setUp: async () => {
    pair = await createDatabasePair();
    admin = {
      answers: adminPool(pair.databaseUrl),
      keys: adminPool(pair.keyDatabaseUrl),
    };
  },
  reset: async () => {
    await Promise.all([truncateAll(admin.answers), truncateAll(admin.keys)]);
  },
  instance: () =>
    openPostgresStores({
      databaseUrl: pair.databaseUrl,
      keyDatabaseUrl: pair.keyDatabaseUrl,
      poolMax: 4,
      claimLeaseMs: 0,
    }),
  tearDown: async () => {
    await Promise.allSettled([admin?.answers.end(), admin?.keys.end()]);
    await pair?.drop();
  },
});
