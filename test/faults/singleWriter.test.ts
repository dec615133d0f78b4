/**
 * One process writes an embedded store: a second bot on the same DATA_DIR/KEY_DIR, or
 * move-store, is refused with a message naming the running bot (pid, start time); export reads beside it;
 * after a kill -9 the lock is no obstacle to the restart.
 *
 * Needs `npm run build` (it runs dist/src/main.js and dist/scripts/*.js).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { freePort } from '../../scripts/support/freePort.js';
import { REPO_ROOT, Supervisor } from './crashRig.js';

let root = '';
let env: Record<string, string>;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'wijzer-writer-'));
  env = {
    DATA_DIR: path.join(root, 'data'),
    KEY_DIR: path.join(root, 'keys'),
    CONTENT_DIR: REPO_ROOT,
    SCHEDULER_INTERVAL_SEC: '3600',
    WIJZER_QUIET: '1',
    WIJZER_LOCAL: '1',
  };
});
afterAll(() => rm(root, { recursive: true, force: true }));

function run(script: string, args: string[], extra: Record<string, string> = {}) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, ...extra };
  delete childEnv.NODE_OPTIONS;
  return spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', script), ...args], {
    cwd: REPO_ROOT,
    env: childEnv,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

test('a second bot and move-store are refused naming the running bot; export reads beside it; a killed bot restarts', async () => {
  const bot = await Supervisor.create('first', root, env);
  try {
    await bot.ready();
    const second = run('src/main.js', [], { PORT: String(await freePort()) });
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(`in use by the Wijzer bot \\(pid ${bot.pid} on .+, started at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)`),
    );
    // The first one is untouched and still serves.
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);

    const move = run('scripts/moveStore.js', [], {
      DATABASE_URL: 'postgres://u@127.0.0.1:1/a',
      KEY_DATABASE_URL: 'postgres://u@127.0.0.1:1/k',
    });
    expect(move.status).toBe(1);
    expect(move.stderr).toMatch(new RegExp(`move-store failed: .* in use by the Wijzer bot \\(pid ${bot.pid}`));

    // Commands that only read run beside it: the digest is written, the export reads and finds nothing yet.
    const digest = run('scripts/digest.js', ['--format', 'md', '--out', path.join(root, 'out', 'digest.md')]);
    expect({
      status: digest.status,
      stderr: digest.stderr.split('\n').filter((l) => l && !/DeprecationWarning|trace-deprecation/.test(l)),
    }).toEqual({ status: 0, stderr: [] });
    const exported = run('scripts/export.js', ['--format', 'json', '--out', path.join(root, 'out')]);
    expect(exported.stderr).toMatch(/export failed: round "default" has no completed interviews yet/);

    // kill -9 leaves the lock file behind; the restarted bot takes it over at once.
    const before = bot.pid;
    await bot.kill();
    await bot.ready();
    expect(bot.pid).not.toBe(before);
  } finally {
    await bot.stop();
  }
}, 180_000);
