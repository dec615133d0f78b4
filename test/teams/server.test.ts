import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../src/config/env.js';
import { startServer, type RunningServer } from '../../src/server.js';

let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-server-'));
  server = await startServer(
    readConfig({
      WIJZER_LOCAL: '1',
      PORT: '0',
      DATA_DIR: join(dir, 'data'),
      KEY_DIR: join(dir, 'keys'),
      WIJZER_QUIET: '1',
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('liveness, readiness, and export links that are not valid', async () => {
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  const ready = await fetch(`${server.url}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: 'ready' });
  expect((await fetch(`${server.url}/exports/forged.token`)).status).toBe(404);
});

test("local mode answers on 127.0.0.1 only: not on ::1, not on the machine's other addresses", async () => {
  const port = new URL(server.url).port;
  const others = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal)
    .map((a) => a!.address)
    .filter((a) => !a.startsWith('fe80')); // link-local needs a zone id that fetch does not take
  for (const address of ['::1', ...others]) {
    const host = address.includes(':') ? `[${address}]` : address;
    await expect(fetch(`http://${host}:${port}/healthz`)).rejects.toThrow();
  }
});

test('a malformed activity is refused without crashing the server', async () => {
  const res = await fetch(`${server.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"type":',
  });
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
});

test('after close it takes no more requests', async () => {
  await server.close();
  await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
});
