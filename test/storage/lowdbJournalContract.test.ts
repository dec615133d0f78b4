import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLowdbStores, type LowdbStores } from '../../src/storage/lowdb/index.js';
import { storeContract } from './contract.js';

let dir: string | undefined;
let stores: LowdbStores | undefined;

async function closeAll(): Promise<void> {
  await stores?.close();
  stores = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
}

// The same contract with the store lock held, as the bot opens it: every write goes through the journal.
storeContract('embedded (lowdb) with its journal', {
  setUp: async () => {},
  reset: async () => {
    await closeAll();
    dir = mkdtempSync(join(tmpdir(), 'wijzer-journal-contract-'));
  },
  instance: async () =>
    (stores ??= openLowdbStores(join(dir!, 'data'), join(dir!, 'keys'), { lockAs: 'the Wijzer bot' })),
  tearDown: closeAll,
});
