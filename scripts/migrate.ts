import { pathToFileURL } from 'node:url';
import { assertSeparateDatabases, connectionError, createPool, type Which } from '../src/storage/postgres/pools.js';
import { migrateDatabase, schemaStatus } from '../src/storage/postgres/schema.js';
import { loadDotEnv } from '../src/config/dotenv.js';
import { z } from 'zod';
import { postgresMain } from './support/postgresCommand.js';

const USAGE = `usage: npm run migrate [-- --check]
Brings the schema of both PostgreSQL databases up to this version of Wijzer (node-pg-migrate, the SQL files in
migrations/answers and migrations/keys; each database keeps its own table wijzer_migrations).
  DATABASE_URL      the answers database
  KEY_DATABASE_URL  the key database (another database)
  --check           change nothing; exit 1 when a database is not at this version's schema`;

const COMMAND = {
  schema: z.object({ check: z.literal('true').optional() }).strict(),
  usage: USAGE,
  switches: ['check'],
  missing: 'DATABASE_URL and KEY_DATABASE_URL are not set: the embedded store needs no migration.',
};

/** Returns the exit code: 0 up to date, 1 failed (or --check found a difference), 2 bad set-up. */
export const main = postgresMain(COMMAND, async ({ args, options }, io) => {
  const checkOnly = args.check === 'true';
  const urls: Record<Which, string> = { answers: options.databaseUrl, keys: options.keyDatabaseUrl };
  const pools = { answers: createPool(urls.answers, 'answers', options), keys: createPool(urls.keys, 'keys', options) };
  try {
    // Never migrate both schemas into one database: that would put answers and identities side by side.
    if (urls.answers === urls.keys)
      throw new Error('DATABASE_URL and KEY_DATABASE_URL are the same: they must name two different databases.');
    for (const which of ['answers', 'keys'] as const)
      await pools[which].query('SELECT 1').catch((err) => {
        throw connectionError(which, err);
      });
    await assertSeparateDatabases(pools.answers, pools.keys);
    let differs = false;
    for (const which of ['answers', 'keys'] as const) {
      const before = await schemaStatus(pools[which], which);
      if (before.unknown.length) {
        // A newer Wijzer migrated this database: nothing to apply here, and nothing to undo from here.
        differs = true;
        io.err(before.message!);
        continue;
      }
      if (!checkOnly) {
        const ran = await migrateDatabase(urls[which], which);
        io.out(ran.length ? `${which}: applied ${ran.join(', ')}` : `${which}: nothing to apply`);
      }
      const status = await schemaStatus(pools[which], which);
      if (status.ok) io.out(`${which}: schema ${status.current} (current)`);
      else {
        differs = true;
        io.err(status.message!);
      }
    }
    return differs ? 1 : 0;
  } catch (err) {
    io.err(`migrate failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await Promise.allSettled([pools.answers.end(), pools.keys.end()]);
  }
});

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  loadDotEnv();
  process.exitCode = await main(process.argv.slice(2));
}
