/**
 * The HTTP edge before authentication: what a stranger can make the bot read. The built bot runs as a child process
 * (WIJZER_LOCAL=1) with a temp folder of its own, so that its resident memory and its uploads can be measured.
 * Needs `npm run build` first (it runs dist/src/main.js).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { freePort } from '../../scripts/support/freePort.js';
import { BOT_MAIN } from '../../scripts/support/botProcess.js';
import { REPO_ROOT } from '../support/repoRoot.js';
import { answersOk, until } from '../support/until.js';

/** Growth of the server's resident memory that the whole suite of attacks may cause: generous, far below a bomb. */
const RSS_BOUND = 50 * 1024 * 1024;

let dir: string;
let serverTmp: string;
let bot: ChildProcess;
let base: string;

function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D/g, '')) * 1024;
}

/** One request with exactly these headers and body; the status, or 0 when the server closed the connection early. */
function send(
  method: string,
  path: string,
  headers: Record<string, string | number>,
  body: Buffer | Buffer[] = [],
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve(0) : reject(err),
    );
    for (const chunk of Array.isArray(body) ? body : [body]) req.write(chunk);
    req.end();
  });
}

/** `bytes` zeros, gzip-compressed without ever holding them in memory here. */
async function gzipBomb(bytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < bytes / zeros.length; i++)
    if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
  gzip.end();
  await done;
  return Buffer.concat(parts);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-body-'));
  serverTmp = join(dir, 'tmp');
  mkdirSync(serverTmp);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WIJZER_LOCAL: '1',
    WIJZER_QUIET: '1',
    PORT: String(port),
    DATA_DIR: join(dir, 'data'),
    KEY_DIR: join(dir, 'keys'),
    CONTENT_DIR: REPO_ROOT,
    TMPDIR: serverTmp,
  };
  for (const name of [
    'MicrosoftAppId',
    'MicrosoftAppPassword',
    'ALLOWED_TENANT_IDS',
    'NODE_OPTIONS',
    'DATABASE_URL',
    'KEY_DATABASE_URL',
  ])
    delete env[name];
  bot = spawn(process.execPath, [BOT_MAIN], { cwd: REPO_ROOT, env, stdio: 'ignore' });
  await until('the bot answers /healthz', () => answersOk(`${base}/healthz`), 15_000);
});

afterAll(() => {
  bot?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test('the bot endpoint takes bounded JSON only: 413 above the limit, 415 for other types, 400 for broken JSON', async () => {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  const big = Buffer.from(JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) }));
  expect(await send('POST', '/api/messages', { ...json, 'content-length': big.length }, big)).toBe(413);
  // Chunked, no declared length: the limit still holds.
  expect(
    await send('POST', '/api/messages', { ...json, 'transfer-encoding': 'chunked' }, [
      big.subarray(0, 200_000),
      big.subarray(200_000),
    ]),
  ).toBe(413);
  expect(await send('POST', '/api/messages', { 'content-type': 'text/plain' }, Buffer.from('{}'))).toBe(415);
  expect(await send('POST', '/api/messages', { ...json, 'content-encoding': 'br' }, Buffer.from('{}'))).toBe(415);
  expect(await send('POST', '/api/messages', json, Buffer.from('{"type":'))).toBe(400);
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
});

test('gzip bombs, on the bot endpoint and on a GET route, leave the memory flat', async () => {
  const small = await gzipBomb(10 * 1024 * 1024);
  const large = await gzipBomb(512 * 1024 * 1024);
  const headers = (body: Buffer) => ({
    'content-type': 'application/json',
    'content-encoding': 'gzip',
    'content-length': body.length,
  });
  await fetch(`${base}/readyz`);
  const before = rssOf(bot.pid!);
  const statuses = [
    await send('POST', '/api/messages', headers(small), small),
    await send('POST', '/api/messages', headers(large), large),
    await send('GET', '/healthz', headers(large), large),
  ];
  expect(rssOf(bot.pid!) - before).toBeLessThan(RSS_BOUND);
  expect(statuses).toEqual([413, 413, 200]);
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
});

test('a stream of multipart uploads is refused unread: no files in the temp folder, memory flat', async () => {
  const before = rssOf(bot.pid!);
  const boundary = 'wijzerboundary';
  const file = Buffer.alloc(4 * 1024 * 1024, 0x41);
  const body = [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ];
  const length = body.reduce((n, b) => n + b.length, 0);
  const statuses: number[] = [];
  for (let i = 0; i < 25; i++)
    statuses.push(
      await send(
        'POST',
        '/api/messages',
        { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': length },
        body,
      ),
    );
  expect(readdirSync(serverTmp)).toEqual([]);
  expect(rssOf(bot.pid!) - before).toBeLessThan(RSS_BOUND);
  // 415, or the connection closed on the refusal before the upload was all sent.
  expect(statuses.every((s) => s === 415 || s === 0)).toBe(true);
  expect(statuses).toContain(415);
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
});
