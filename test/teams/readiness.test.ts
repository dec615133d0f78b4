import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { readConfig } from '../../src/config/env.js';
import { Readiness } from '../../src/http/readiness.js';
import { startServer } from '../../src/server.js';
import { openStores } from '../../src/storage/open.js';

const SECRET_DETAIL = 'password authentication failed for user "wijzer" at 10.0.0.5:5432';

test('the answer is kept for the cache time, one probe serves callers at the same moment, then it is asked again', async () => {
  let now = 0;
  const probe = jest.fn(async () => undefined);
  const readiness = new Readiness(probe, 5000, () => now);
  await Promise.all(Array.from({ length: 10 }, () => readiness.answer()));
  now = 4999;
  expect(await readiness.answer()).toEqual({ status: 'ready' });
  expect(probe).toHaveBeenCalledTimes(1);
  now = 5000;
  await readiness.answer();
  expect(probe).toHaveBeenCalledTimes(2);
});

test('GET /readyz runs the store queries once for many hits and says nothing of the database error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wijzer-readyz-'));
  // The detail goes to the log (readyz.failed), kept out of the test's output.
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const config = readConfig({
    WIJZER_LOCAL: '1',
    PORT: '0',
    DATA_DIR: join(dir, 'data'),
    KEY_DIR: join(dir, 'keys'),
    WIJZER_QUIET: '1',
  });
  const stores = await openStores(config);
  let probes = 0;
  stores.ready = async () => {
    probes++;
    throw new Error(SECRET_DETAIL);
  };
  const server = await startServer(config, stores);
  try {
    const hits = 20;
    const answers = await Promise.all(
      Array.from({ length: hits }, async () => {
        const res = await fetch(`${server.url}/readyz`);
        return { status: res.status, body: await res.text() };
      }),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.body).not.toMatch(/password|10\.0\.0\.5|wijzer"/);
      expect(JSON.parse(answer.body)).toEqual({ status: 'not ready', reason: 'the stores do not answer' });
    }
    expect(probes).toBeLessThan(hits / 4);
  } finally {
    errors.mockRestore();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
