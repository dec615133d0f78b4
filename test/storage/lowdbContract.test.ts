import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import type { Stores } from '../../src/ports/stores.js';
import { storeContract } from './contract.js';

let dir: string | undefined;
let stores: Stores | undefined;

// The embedded store serves one process: every "instance" of a test is the one store of that process.
storeContract('embedded (lowdb)', {
  setUp: async () => {},
  reset: async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'wijzer-contract-'));
    stores = undefined;
  },
  instance: async () => (stores ??= openLowdbStores(join(dir!, 'data'), join(dir!, 'keys'))),
  tearDown: async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
});
