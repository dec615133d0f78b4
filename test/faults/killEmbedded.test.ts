/**
 * kill -9 at 100 random moments during scripted interviews on the embedded store. Four bots,
 * each on its own DATA_DIR and KEY_DIR, are killed 25 times each at seeded random moments after they became ready
 * (mostly in the middle of turns: three participants per bot answer as fast as the bot replies) and restarted by
 * a supervisor. Afterwards every answer a participant got a reply to is stored, every store file parses under
 * its schema, and every interview went on from where it was and was completed.
 *
 * Needs `npm run build` (it runs dist/src/main.js).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { MockConnector } from '../../scripts/support/mockConnector.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { corruptFiles, promisesBroken, REPO_ROOT, runCrashScenario } from './crashRig.js';

const KILLS = 100;
const GROUPS = 4;
let root = '';
let connector: MockConnector;
let failed = true;
const secret = randomBytes(32).toString('hex');
const dirOf = (group: number) => path.join(root, `g${group}`);

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'wijzer-kill-'));
  connector = await MockConnector.start();
});
afterAll(async () => {
  await connector?.close();
  if (failed) console.log(`killEmbedded failed: bot logs and stores kept in ${root}`);
  else await rm(root, { recursive: true, force: true });
});

test(`kill -9 at ${KILLS} random moments: no acknowledged answer lost, no store file corrupt, every interview continues`, async () => {
  const { runs, supervisors } = await runCrashScenario({
    root,
    connector,
    groups: GROUPS,
    kills: KILLS,
    parallel: 3,
    seed: 11,
    upMs: [80, 900],
    env: (g) => ({
      DATA_DIR: path.join(dirOf(g), 'data'),
      KEY_DIR: path.join(dirOf(g), 'keys'),
      PSEUDONYM_SECRET: secret,
      CONTENT_DIR: REPO_ROOT,
      SCHEDULER_INTERVAL_SEC: '3600',
      WIJZER_QUIET: '1',
    }),
  });
  try {
    expect(supervisors.reduce((n, s) => n + s.kills, 0)).toBeGreaterThanOrEqual(KILLS);
    // The crashes did land in turns: many turns got no reply and were tried again.
    expect(runs.reduce((n, r) => n + r.failedTurns, 0)).toBeGreaterThan(KILLS / 4);
    expect(runs.reduce((n, r) => n + r.acknowledged.length, 0)).toBeGreaterThan(50);

    // Read as `npm run export` reads beside the running bot: its journal too, where the files may lag behind.
    const readers = Array.from({ length: GROUPS }, (_, g) =>
      openLowdbStores(path.join(dirOf(g), 'data'), path.join(dirOf(g), 'keys'), {
        lockAs: 'the fault test',
        readOnlyIfHeld: true,
      }),
    );
    const stored = async (identity: { userId: string; tenantId: string }) => {
      const pseudonym = pseudonymOf(Buffer.from(secret, 'hex'), identity.tenantId, identity.userId);
      for (const reader of readers) {
        const code = (await reader.keys.lookup(pseudonym, 'default'))?.code;
        if (code) return reader.answers.getInterview('default', code);
      }
      return null;
    };
    expect(await promisesBroken(runs, stored)).toEqual([]);
    await Promise.all(readers.map((reader) => reader.close()));
    const corrupt = Array.from({ length: GROUPS }, (_, g) =>
      [...corruptFiles(path.join(dirOf(g), 'data')), ...corruptFiles(path.join(dirOf(g), 'keys'))].map(
        (f) => `g${g}: ${f}`,
      ),
    ).flat();
    expect(corrupt).toEqual([]);
    console.log(
      `killEmbedded: ${supervisors.reduce((n, s) => n + s.kills, 0)} kills, ${runs.length} interviews, ${runs.reduce((n, r) => n + r.turns, 0)} turns, ${runs.reduce((n, r) => n + r.failedTurns, 0)} without reply, ${runs.reduce((n, r) => n + r.acknowledged.length, 0)} acknowledged answers, ${runs.reduce((n, r) => n + r.resumes.length, 0)} resumes`,
    );
    failed = false;
  } finally {
    await Promise.all(supervisors.map((s) => s.stop()));
  }
}, 900_000);
