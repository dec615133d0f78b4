import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadDotEnv } from '../../src/config/dotenv.js';
import { readConfig } from '../../src/config/env.js';
import { PLAYGROUND_USER_AAD_ID } from '../../scripts/support/playgroundUser.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-dotenv-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('.env fills in what the environment does not set; the environment wins', () => {
  const file = join(dir, '.env');
  writeFileSync(
    file,
    '# comment\nPORT=4100\nEXPORT_LINK_MINUTES=30\nRESEARCHER_IDS="11111111-2222-3333-4444-555555555555"\n',
  );
  const env: NodeJS.ProcessEnv = { PORT: '5000' };
  expect(loadDotEnv(file, env).sort()).toEqual(['EXPORT_LINK_MINUTES', 'RESEARCHER_IDS']);
  const config = readConfig(env);
  expect(config.PORT).toBe(5000);
  expect(config.EXPORT_LINK_MINUTES).toBe(30);
  expect(config.RESEARCHER_IDS).toEqual(['11111111-2222-3333-4444-555555555555']);
});

test("under jest (NODE_ENV=test) a developer's .env is not read", () => {
  const file = join(dir, '.env');
  writeFileSync(file, 'MicrosoftAppId=from-a-developer\n');
  const env: NodeJS.ProcessEnv = { NODE_ENV: 'test' };
  expect(loadDotEnv(file, env)).toEqual([]);
  expect(env.MicrosoftAppId).toBeUndefined();
});

test('no .env is fine', () => {
  const env: NodeJS.ProcessEnv = {};
  expect(loadDotEnv(join(dir, 'missing.env'), env)).toEqual([]);
  expect(env).toEqual({});
});

test('.env.example parses and passes the config schema', () => {
  const env: NodeJS.ProcessEnv = {};
  loadDotEnv('.env.example', env);
  expect(env.PORT).toBe('3978');
  expect(() => readConfig(env)).not.toThrow();
});

test('the Playground user made a researcher by npm run playground is the one the installed Playground uses', () => {
  const require = createRequire(import.meta.url);
  const bundle = readFileSync(
    join(dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'dist', 'index.js'),
    'utf8',
  );
  const current = /currentUser:\\n {2}id: user-id-0\\n(?: {2}[^\\]*\\n)*? {2}aadObjectId: ([0-9a-f-]+)\\n/.exec(bundle);
  expect(current?.[1]).toBe(PLAYGROUND_USER_AAD_ID);
});
