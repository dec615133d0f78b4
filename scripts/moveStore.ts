import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { InterviewRecord } from '../src/interview/types.js';
import { openLowdbStores, type LowdbStores } from '../src/storage/lowdb/index.js';
import type { ConversationTarget, KeyEntry } from '../src/ports/stores.js';
import { COPY_KINDS, PgCopier } from '../src/storage/postgres/copy.js';
import { openPostgresStores, type PostgresStores } from '../src/storage/postgres/index.js';
import { pseudonymSecret } from '../src/storage/secret.js';
import { loadDotEnv } from '../src/config/dotenv.js';
import { z } from 'zod';
import { postgresMain, type Printer } from './support/postgresCommand.js';

const USAGE = `usage: npm run move-store
Copies the embedded store (DATA_DIR, default ./data; KEY_DIR, default ./keys) into the PostgreSQL databases
(DATABASE_URL for the answers, KEY_DATABASE_URL for the keys; run \`npm run migrate\` first).
It upserts: running it again duplicates nothing, and it deletes nothing (neither the files nor any row).
Stop the bot on the embedded store first, and start it on PostgreSQL only after the copy.`;

/** Rows per statement. */
const BATCH = 500;

const COMMAND = {
  schema: z.object({}).strict(),
  usage: USAGE,
  missing: 'DATABASE_URL and KEY_DATABASE_URL must name the two PostgreSQL databases to copy into.',
};

function names(dir: string, suffix = ''): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => (suffix ? d.isFile() && d.name.endsWith(suffix) : d.isDirectory()))
      .map((d) => (suffix ? d.name.slice(0, -suffix.length) : d.name))
      .sort();
  } catch {
    return [];
  }
}

/**
 * The pseudonyms in the key store are HMACs under the secret. In local mode that secret is a file in KEY_DIR, which
 * the PostgreSQL bot does not read: it needs the same secret in PSEUDONYM_SECRET, or it no longer recognises anyone.
 */
function checkSecret(keyDir: string, env: NodeJS.ProcessEnv, io: Printer): string | null {
  if (!existsSync(join(keyDir, 'pseudonym-secret'))) return null;
  const fileSecret = pseudonymSecret(undefined, keyDir);
  if (!env.PSEUDONYM_SECRET) {
    io.err(
      `Note: ${join(keyDir, 'pseudonym-secret')} holds the pseudonym secret of the embedded store; set PSEUDONYM_SECRET to its contents for the bot on PostgreSQL (all instances), or it will not recognise the participants.`,
    );
    return null;
  }
  if (!pseudonymSecret(env.PSEUDONYM_SECRET, keyDir).equals(fileSecret)) {
    return `PSEUDONYM_SECRET differs from the secret in ${join(keyDir, 'pseudonym-secret')}: the moved pseudonyms would match nobody. Set PSEUDONYM_SECRET to that file's contents.`;
  }
  return null;
}

async function copy(source: LowdbStores, dataDir: string, keyDir: string, copier: PgCopier): Promise<void> {
  // Answers: rounds, and per round its interviews (streamed in batches), counters and digest log.
  const rounds = await source.answers.listRounds();
  await copier.rounds(rounds);
  const answerRounds = [...new Set([...rounds.map((r) => r.id), ...names(join(dataDir, 'rounds'))])].sort();
  for (const roundId of answerRounds) {
    let batch: InterviewRecord[] = [];
    for await (const record of source.answers.listInterviews(roundId)) {
      batch.push(record);
      if (batch.length === BATCH) {
        await copier.interviews(batch);
        batch = [];
      }
    }
    await copier.interviews(batch);
    await copier.counters(roundId, await source.answers.counters(roundId));
    await copier.digestLog(roundId, await source.answers.digestLog(roundId));
  }

  // Keys: participants (entries per round, chat target), researchers, per round digest channels and number tokens.
  const pseudonyms = names(join(keyDir, 'participants'), '.json');
  for (let i = 0; i < pseudonyms.length; i += BATCH) {
    const entries: { pseudonym: string; roundId: string; entry: KeyEntry }[] = [];
    const targets: { pseudonym: string; target: ConversationTarget }[] = [];
    for (const pseudonym of pseudonyms.slice(i, i + BATCH)) {
      for (const [roundId, entry] of Object.entries(await source.keys.entries(pseudonym)))
        entries.push({ pseudonym, roundId, entry });
      const target = await source.keys.target(pseudonym);
      if (target) targets.push({ pseudonym, target });
    }
    await copier.keyEntries(entries);
    await copier.chatTargets(targets);
  }
  await copier.researchers(await source.keys.researchers());
  for (const roundId of names(join(keyDir, 'rounds'))) {
    await copier.digestChannels(roundId, await source.keys.digestChannels(roundId));
    await copier.numberTokens(roundId, await source.keys.storedNumberTokens(roundId));
  }

  // The outbox, every job.
  const jobs = await source.outbox.all();
  for (let i = 0; i < jobs.length; i += BATCH) await copier.outbox(jobs.slice(i, i + BATCH));
}

/** Returns the exit code: 0 copied and checked, 1 the copy failed or a count does not match, 2 bad set-up. */
export const main = postgresMain(COMMAND, async ({ options }, io) => {
  const { env } = io;
  const dataDir = resolve(env.DATA_DIR || './data');
  const keyDir = resolve(env.KEY_DIR || './keys');
  let target: PostgresStores | undefined;
  let source: LowdbStores | undefined;
  try {
    if (!existsSync(dataDir)) {
      io.err(`DATA_DIR ${dataDir} does not exist: nothing to move (is DATA_DIR set to the embedded store's folder?)`);
      return 2;
    }
    if (!existsSync(keyDir)) {
      io.err(`KEY_DIR ${keyDir} does not exist: nothing to move (is KEY_DIR set to the embedded store's key folder?)`);
      return 2;
    }
    const secretProblem = checkSecret(keyDir, env, io);
    if (secretProblem) {
      io.err(secretProblem);
      return 2;
    }
    // Holding the embedded store's lock: the copy is of a store that no bot changes meanwhile.
    source = openLowdbStores(dataDir, keyDir, { lockAs: 'npm run move-store' });
    target = await openPostgresStores(options);
    const copier = new PgCopier(target.answersPool, target.keysPool);
    io.out(`Moving ${dataDir} (answers) and ${keyDir} (keys) into PostgreSQL ...`);
    await copy(source, dataDir, keyDir, copier);
    for (const kind of COPY_KINDS) {
      const c = copier.counts.get(kind)!;
      io.out(
        `  ${`${kind}:`.padEnd(20)} ${String(c.source).padStart(7)} in the embedded store, ${c.inserted} new, ${c.updated} updated, ${c.source - c.inserted - c.updated} already there; ${c.present} in PostgreSQL`,
      );
    }
    const missing = copier.missing();
    if (missing.length) {
      for (const { kind, count } of missing) {
        io.err(
          `count mismatch for ${kind}: ${count.source} in the embedded store, ${count.present} of them in PostgreSQL` +
            (kind === 'number tokens'
              ? ' with the same token (PostgreSQL already had other tokens for these codes)'
              : kind === 'interviews'
                ? ' at the same or a later revision'
                : ''),
        );
      }
      return 1;
    }
    io.out(
      'Done: every record of the embedded store is in PostgreSQL. Nothing was deleted; the embedded store is unchanged.',
    );
    return 0;
  } catch (err) {
    io.err(`move-store failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await source?.close();
    await target?.close();
  }
});

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  loadDotEnv();
  process.exitCode = await main(process.argv.slice(2));
}
