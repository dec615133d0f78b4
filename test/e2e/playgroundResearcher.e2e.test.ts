/**
 * `npm run playground` as a new researcher runs it (dist/scripts/playground.js: bot, locale relay, Agents
 * Playground): the Playground's current user is a researcher, so "ronde nieuw" in the Personal Chat gets the
 * round form, in Dutch. Over HTTP and the Playground's WebSocket, no browser.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { PLAYGROUND_USER_AAD_ID } from '../../scripts/support/playgroundUser.js';
import { freePort } from '../../scripts/support/freePort.js';
import type { PlaygroundTestConfig } from './harness.js';
import { REPO_ROOT } from '../support/repoRoot.js';
import { answersOk, until } from '../support/until.js';

let dir: string;
let child: ChildProcess | undefined;
let output = '';

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

test('npm run playground makes the Playground user a researcher: "ronde nieuw" in the Personal Chat shows the round form', async () => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-playground-run-'));
  const [port, playgroundPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    PLAYGROUND_PORT: String(playgroundPort),
    DATA_DIR: join(dir, 'data'),
    KEY_DIR: join(dir, 'keys'),
    M365_AGENTS_PLAYGROUND_LOGFILE: join(dir, 'playground.log'),
  };
  for (const name of [
    'NODE_OPTIONS',
    'RESEARCHER_IDS',
    'MicrosoftAppId',
    'MicrosoftAppPassword',
    'PSEUDONYM_SECRET',
    'ALLOWED_TENANT_IDS',
    'PLAYGROUND_LOCALE',
  ])
    delete env[name];
  child = spawn(process.execPath, ['dist/scripts/playground.js'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => {
    output += c.toString('utf8');
  });
  child.stderr!.on('data', (c: Buffer) => {
    output += c.toString('utf8');
  });
  const base = `http://127.0.0.1:${playgroundPort}`;
  await until(
    'the Playground and the bot',
    () =>
      /You \(Alex Wilber\) are a researcher/.test(output) &&
      fetch(`${base}/_internal/v1/testConfig`)
        .then((r) => r.ok)
        .catch(() => false),
    30_000,
    () => output.slice(-1000),
  );
  const config = ((await (await fetch(`${base}/_internal/v1/testConfig`)).json()) as { config: PlaygroundTestConfig })
    .config;
  expect(config.currentUser.aadObjectId).toBe(PLAYGROUND_USER_AAD_ID);

  const messages: { text?: string; attachments?: { content?: unknown }[] }[] = [];
  const ws = new WebSocket(`ws://127.0.0.1:${playgroundPort}/_ws_conversation/v1/conversations/stream`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.on('message', (raw) => {
    const data = JSON.parse(raw.toString()) as {
      action?: string;
      message?: { text?: string; attachments?: { content?: unknown }[] };
    };
    if (data.action === 'createMessage' && data.message) messages.push(data.message);
  });
  try {
    // The bot may still be starting: send once it answers.
    await until(
      'the bot /healthz',
      () => answersOk(`http://127.0.0.1:${port}/healthz`),
      30_000,
      () => output.slice(-1000),
    );
    await fetch(`${base}/_conversation/v1/conversations/${encodeURIComponent(config.personalChat.id)}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: { id: config.currentUser.id }, text: 'ronde nieuw', textFormat: 'plain' }),
    });
    const form = await until(
      'the round form',
      () => messages.map((m) => JSON.stringify(m.attachments ?? [])).find((c) => c.includes('Nieuwe onderzoeksronde')),
      30_000,
      () => `${JSON.stringify(messages).slice(0, 1000)}\n${output.slice(-1000)}`,
    );
    expect(form).toContain('Opslaan als concept');
    expect(messages.map((m) => m.text ?? '').join('\n')).not.toMatch(/niet op de lijst van onderzoekers/);
  } finally {
    ws.close();
  }
}, 90_000);
