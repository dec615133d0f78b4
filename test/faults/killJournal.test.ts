/**
 * kill -9 in the middle of the embedded store's journal appends: a writer process (journalWriter.mjs) saves
 * interviews and key entries as fast as the store acknowledges them and is killed at 30 seeded random moments,
 * then started again on the same folders. Afterwards every save it acknowledged is there, every file and every
 * journal record parses, and the journals a crash left were replayed and removed. (A kill does not cut a write()
 * short, the kernel finishes copying it: torn tails come from power cuts and short writes, which
 * test/storage/lowdbJournal.test.ts makes by hand. This test catches an acknowledgement given too early.)
 *
 * Needs `npm run build` (the writer imports dist/).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from '@jest/globals';
import { seededRandom } from '../../src/analysis/random.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import { decodeJournal } from '../../src/storage/lowdb/journalRecords.js';
import { corruptFiles, REPO_ROOT } from './crashRig.js';

const KILLS = 30;
const PARTICIPANTS = 12;
const WRITER = fileURLToPath(new URL('./journalWriter.mjs', import.meta.url));
const root = mkdtempSync(path.join(tmpdir(), 'wijzer-kill-journal-'));
const data = path.join(root, 'data');
const keys = path.join(root, 'keys');
const pseudonym = (n: number) => n.toString(16).padStart(64, '0');
let failed = true;

afterAll(() => {
  if (failed) console.log(`killJournal failed: the store is kept in ${root}`);
  else rmSync(root, { recursive: true, force: true });
});

/** Starts the writer, lets it run `upMs` after it said ready, kills it; returns the saves it acknowledged. */
async function runAndKill(upMs: number): Promise<{ code: string; rev: number }[]> {
  const child = spawn(process.execPath, [WRITER], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATA_DIR: data, KEY_DIR: keys, PARTICIPANTS: String(PARTICIPANTS), ROUND_ID: 'default' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let buffered = '';
  const acks: { code: string; rev: number }[] = [];
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (buffered + chunk).split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const [word, code, rev] = line.split(' ');
      if (word === 'ready') ready();
      if (word === 'ack' && code && rev) acks.push({ code, rev: Number(rev) });
    }
  });
  await Promise.race([isReady, exited]);
  await sleep(upMs);
  child.kill('SIGKILL');
  await exited;
  return acks;
}

/** Bytes at the end of the journals that no record holds: what a kill in the middle of an append leaves. */
function tornBytes(): number {
  return [data, keys]
    .flatMap((folder) =>
      readdirSync(folder)
        .filter((n) => n.endsWith('.wal'))
        .map((n) => path.join(folder, n)),
    )
    .reduce((sum, file) => sum + decodeJournal(readFileSync(file)).tornBytes, 0);
}

test(`kill -9 at ${KILLS} random moments of journal appends: every acknowledged save survives`, async () => {
  expect(existsSync(path.join(REPO_ROOT, 'dist', 'src', 'storage', 'lowdb', 'index.js'))).toBe(true);
  const random = seededRandom(13);
  const acknowledged = new Map<string, number>();
  let torn = 0;
  for (let kill = 0; kill < KILLS; kill++) {
    for (const { code, rev } of await runAndKill(150 + random() * 600)) {
      acknowledged.set(code, Math.max(rev, acknowledged.get(code) ?? 0));
    }
    if (tornBytes() > 0) torn++;
  }
  expect(acknowledged.size).toBe(PARTICIPANTS);

  const stores = openLowdbStores(data, keys, { lockAs: 'the fault test' });
  const lost: string[] = [];
  for (let n = 1; n <= PARTICIPANTS; n++) {
    const entry = await stores.keys.lookup(pseudonym(n), 'default');
    const code = entry?.code;
    const record = code ? await stores.answers.getInterview('default', code) : null;
    const acked = code ? (acknowledged.get(code) ?? 0) : Infinity;
    const card = Number(entry?.cards?.[0]?.replace('card-', '') ?? 0);
    if (!record || record.rev < acked || card < acked) lost.push(`${n}: acked rev ${acked}, stored ${record?.rev}`);
  }
  await stores.close();
  expect(lost).toEqual([]);
  // Opened and closed as a writer: the journals were replayed into the files and removed.
  expect([...readdirSync(data), ...readdirSync(keys)].filter((n) => n.endsWith('.wal'))).toEqual([]);
  expect([...corruptFiles(data), ...corruptFiles(keys)]).toEqual([]);
  console.log(
    `killJournal: ${KILLS} kills, ${[...acknowledged.values()].reduce((a, b) => a + b, 0)} saves acknowledged, ${torn} kills left a torn journal tail`,
  );
  failed = false;
}, 600_000);
