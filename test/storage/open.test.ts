import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The PostgreSQL driver, replaced by one that records being loaded: a bot on the embedded store must not load it.
const driverLoads: string[] = [];
jest.unstable_mockModule('pg', () => {
  driverLoads.push('pg');
  return { default: {} };
});

const { readConfig } = await import('../../src/config/env.js');
const { openStores } = await import('../../src/storage/open.js');

test('reading the config and opening the embedded store load no PostgreSQL driver', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wijzer-open-'));
  try {
    const config = readConfig({ WIJZER_LOCAL: '1', DATA_DIR: join(dir, 'data'), KEY_DIR: join(dir, 'keys') });
    const stores = await openStores(config);
    await stores.close();
    expect(driverLoads).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('opening PostgreSQL loads the driver (the check above can see a load)', async () => {
  const config = readConfig({
    DATABASE_URL: 'postgresql://127.0.0.1:1/answers',
    KEY_DATABASE_URL: 'postgresql://127.0.0.1:1/keys',
    PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
  });
  // The stand-in driver has no Pool: opening fails, after the driver was loaded.
  await expect(openStores(config)).rejects.toThrow();
  expect(driverLoads).toEqual(['pg']);
});
