/**
 * kill -9 at 20 random moments during scripted interviews on PostgreSQL: two bots on one pair
 * of databases, each killed 10 times at seeded random moments and restarted by a supervisor. Afterwards every
 * answer a participant got a reply to is stored, every row parses under its schema, every interview went on
 * from where it was and was completed.
 *
 * Needs `npm run build` (it runs dist/src/main.js) and PostgreSQL (test/support/postgres.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { MockConnector } from '../../scripts/support/mockConnector.js';
import {
  ConversationTargetSchema,
  InterviewRecordSchema,
  KeyEntrySchema,
  OutboxJobSchema,
} from '../../src/storage/records.js';
import { createDatabasePair, postgresBotEnv, rowsOf, storedInterview, type DatabasePair } from '../support/postgres.js';
import { promisesBroken, runCrashScenario } from './crashRig.js';

const KILLS = 20;
let root = '';
let connector: MockConnector;
let pair: DatabasePair;
let failed = true;
const secret = randomBytes(32).toString('hex');

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'wijzer-kill-pg-'));
  connector = await MockConnector.start();
  pair = await createDatabasePair();
}, 60_000);
afterAll(async () => {
  await connector?.close();
  await pair?.drop();
  if (failed) console.log(`killPostgres failed: bot logs kept in ${root}`);
  else await rm(root, { recursive: true, force: true });
});

test(`kill -9 at ${KILLS} random moments on PostgreSQL: no acknowledged answer lost, no row corrupt, every interview continues`, async () => {
  const { runs, supervisors } = await runCrashScenario({
    root,
    connector,
    groups: 2,
    kills: KILLS,
    parallel: 3,
    seed: 13,
    upMs: [80, 900],
    env: () => ({ ...postgresBotEnv(pair, secret, root), SCHEDULER_INTERVAL_SEC: '3600', WIJZER_QUIET: '1' }),
  });
  try {
    expect(supervisors.reduce((n, s) => n + s.kills, 0)).toBeGreaterThanOrEqual(KILLS);
    expect(runs.reduce((n, r) => n + r.failedTurns, 0)).toBeGreaterThan(KILLS / 4);
    const stored = storedInterview(pair, secret);
    expect(await promisesBroken(runs, stored)).toEqual([]);
    const bad = [
      ...(
        await rowsOf<{ code: string; rev: number; data: { rev: number } }>(
          pair.databaseUrl,
          'SELECT code, rev, data FROM interviews',
        )
      )
        .filter((r) => !InterviewRecordSchema.safeParse(r.data).success || r.data.rev !== r.rev)
        .map((r) => `interview ${r.code}`),
      ...(await rowsOf<{ entry: unknown }>(pair.keyDatabaseUrl, 'SELECT entry FROM key_entries'))
        .filter((r) => !KeyEntrySchema.safeParse(r.entry).success)
        .map(() => 'key entry'),
      ...(await rowsOf<{ target: unknown }>(pair.keyDatabaseUrl, 'SELECT target FROM chat_targets'))
        .filter((r) => !ConversationTargetSchema.safeParse(r.target).success)
        .map(() => 'chat target'),
      ...(await rowsOf<{ job: unknown }>(pair.keyDatabaseUrl, 'SELECT job FROM outbox'))
        .filter((r) => !OutboxJobSchema.safeParse(r.job).success)
        .map(() => 'outbox job'),
    ];
    expect(bad).toEqual([]);
    console.log(
      `killPostgres: ${supervisors.reduce((n, s) => n + s.kills, 0)} kills, ${runs.length} interviews, ${runs.reduce((n, r) => n + r.turns, 0)} turns, ${runs.reduce((n, r) => n + r.failedTurns, 0)} without reply, ${runs.reduce((n, r) => n + r.acknowledged.length, 0)} acknowledged answers`,
    );
    failed = false;
  } finally {
    await Promise.all(supervisors.map((s) => s.stop()));
  }
}, 900_000);
