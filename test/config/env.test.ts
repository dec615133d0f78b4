import { readConfig } from '../../src/config/env.js';

test('defaults give a local run on the embedded store', () => {
  const config = readConfig({});
  expect(config).toMatchObject({ PORT: 3978, DATA_DIR: './data', KEY_DIR: './keys', localMode: true, production: false, ALLOWED_TENANT_IDS: [] });
});

test('production without app credentials refuses to start', () => {
  expect(() => readConfig({ NODE_ENV: 'production', PSEUDONYM_SECRET: 'a'.repeat(64) })).toThrow(/needs MicrosoftAppId/);
});

test('production without a pseudonym secret refuses to start', () => {
  expect(() => readConfig({ NODE_ENV: 'production', MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw' })).toThrow(/PSEUDONYM_SECRET/);
});

test('a bad value names the variable', () => {
  expect(() => readConfig({ PORT: 'port' })).toThrow(/PORT/);
  expect(() => readConfig({ MicrosoftAppType: 'Anything' })).toThrow(/MicrosoftAppType/);
});

test('the tenant allow-list is a comma-separated list', () => {
  expect(readConfig({ ALLOWED_TENANT_IDS: ' t1, t2 ,' }).ALLOWED_TENANT_IDS).toEqual(['t1', 't2']);
});
