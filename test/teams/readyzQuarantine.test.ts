/**
 * A corrupt store file found while the bot runs is moved aside and shows in /readyz (a count, no name), while the
 * bot keeps serving; the rest of the store keeps working.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { readConfig } from '../../src/config/env.js';
import { createRecord } from '../../src/interview/engine.js';
import { startServer } from '../../src/server.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import { contextFor } from '../support/context.js';

test('a corrupt interview found while running: quarantined, /readyz says degraded with the count, the bot serves on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wijzer-readyz-'));
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
  const server = await startServer(
    readConfig({
      PORT: '0',
      DATA_DIR: join(dir, 'data'),
      KEY_DIR: join(dir, 'keys'),
      WIJZER_QUIET: '1',
      WIJZER_LOCAL: '1',
    }),
    stores,
  );
  try {
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready' });
    const ctx = contextFor();
    await stores.answers.createInterview('default', (code) => createRecord(ctx, code, false, null));
    const file = join(dir, 'data', 'rounds', 'default', 'interviews', 'B.json');
    writeFileSync(file, '{"roundId": "default", "code": "B", "rev"');
    // A turn of B's participant reads it.
    expect(await stores.answers.getInterview('default', 'B')).toBeNull();
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(join(dir, 'data', 'quarantine'))).toHaveLength(1);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'degraded', quarantined: 1 });
    expect((await stores.answers.getInterview('default', 'A'))?.code).toBe('A');
    expect(spy.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('store.answers.quarantined'))).toHaveLength(
      1,
    );
  } finally {
    await server.close();
    spy.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  }
});
