import { assertServable, readConfig } from '../../src/config/env.js';
import { startServer } from '../../src/server.js';

test('WIJZER_LOCAL=1 gives a local run on the embedded store', () => {
  const config = readConfig({ WIJZER_LOCAL: '1' });
  expect(config).toMatchObject({
    PORT: 3978,
    DATA_DIR: './data',
    KEY_DIR: './keys',
    localMode: true,
    production: false,
    ALLOWED_TENANT_IDS: [],
  });
  expect(() => assertServable(config)).not.toThrow();
});

test('without credentials and without WIJZER_LOCAL=1 the bot refuses to start, saying what to set', async () => {
  for (const env of [
    {},
    { NODE_ENV: 'development' },
    { NODE_ENV: 'Production' },
    { NODE_ENV: 'test' },
    { WIJZER_LOCAL: '0' },
  ]) {
    const config = readConfig(env);
    expect(config.localMode).toBe(false);
    expect(() => assertServable(config)).toThrow(/set MicrosoftAppId and MicrosoftAppPassword.*or WIJZER_LOCAL=1/);
    await expect(
      startServer({ ...config, PORT: 0, DATA_DIR: '/nonexistent/data', KEY_DIR: '/nonexistent/keys' }),
    ).rejects.toThrow(/WIJZER_LOCAL=1/);
  }
});

test('with credentials ALLOWED_TENANT_IDS is required; * is the explicit opt-out', () => {
  const credentials = { MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw' };
  expect(() => assertServable(readConfig(credentials))).toThrow(/ALLOWED_TENANT_IDS is required/);
  expect(() => assertServable(readConfig({ ...credentials, ALLOWED_TENANT_IDS: 't1' }))).not.toThrow();
  expect(() => assertServable(readConfig({ ...credentials, ALLOWED_TENANT_IDS: '*' }))).not.toThrow();
});

test('local mode cannot be combined with credentials or production', () => {
  expect(() => readConfig({ WIJZER_LOCAL: '1', MicrosoftAppId: 'id' })).toThrow(/WIJZER_LOCAL=1/);
  expect(() => readConfig({ WIJZER_LOCAL: '1', NODE_ENV: 'production', PSEUDONYM_SECRET: 'a'.repeat(64) })).toThrow(
    /needs MicrosoftAppId/,
  );
});

test('the test-only OpenID metadata override is refused in production', () => {
  expect(() =>
    readConfig({
      NODE_ENV: 'production',
      MicrosoftAppId: 'id',
      MicrosoftAppPassword: 'pw',
      PSEUDONYM_SECRET: 'a'.repeat(64),
      BOT_OPENID_METADATA_URL: 'http://127.0.0.1:1/.well-known/openid-configuration',
    }),
  ).toThrow(/BOT_OPENID_METADATA_URL/);
});

test('production without app credentials refuses to start', () => {
  expect(() => readConfig({ NODE_ENV: 'production', PSEUDONYM_SECRET: 'a'.repeat(64) })).toThrow(
    /needs MicrosoftAppId/,
  );
});

test('production without a pseudonym secret refuses to start', () => {
  expect(() => readConfig({ NODE_ENV: 'production', MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw' })).toThrow(
    /PSEUDONYM_SECRET/,
  );
});

test('a bad value names the variable', () => {
  expect(() => readConfig({ PORT: 'port' })).toThrow(/PORT/);
  expect(() => readConfig({ MicrosoftAppType: 'Anything' })).toThrow(/MicrosoftAppType/);
});

test('the outbox paces under its rate by a headroom of 3% unless told otherwise, at most half the rate', () => {
  expect(readConfig({ WIJZER_LOCAL: '1' }).OUTBOX_RATE_HEADROOM).toBe(0.03);
  expect(readConfig({ WIJZER_LOCAL: '1', OUTBOX_RATE_HEADROOM: '0.1' }).OUTBOX_RATE_HEADROOM).toBe(0.1);
  expect(() => readConfig({ WIJZER_LOCAL: '1', OUTBOX_RATE_HEADROOM: '0.6' })).toThrow(/OUTBOX_RATE_HEADROOM/);
  expect(() => readConfig({ WIJZER_LOCAL: '1', OUTBOX_RATE_HEADROOM: '-0.1' })).toThrow(/OUTBOX_RATE_HEADROOM/);
});

test('the tenant allow-list is a comma-separated list', () => {
  expect(readConfig({ ALLOWED_TENANT_IDS: ' t1, t2 ,' }).ALLOWED_TENANT_IDS).toEqual(['t1', 't2']);
});
