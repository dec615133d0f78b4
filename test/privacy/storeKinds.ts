import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLowdbStores, type LowdbOpenOptions } from '../../src/storage/lowdb/index.js';
import type { Stores } from '../../src/ports/stores.js';
import { openPostgresStores } from '../../src/storage/postgres/index.js';
import { loadContent } from '../../src/content/load.js';
import { filesBelow } from '../support/files.js';
import { REPO_ROOT } from '../support/repoRoot.js';
import { createDatabasePair, dumpDatabase } from '../support/postgres.js';

/** A fresh pair of stores of one kind, and everything it holds as text (the files, or a dump of both databases). */
export interface StoreKind {
  name: string;
  open(): Promise<{ stores: Stores; dump(): Promise<string>; dispose(): Promise<void> }>;
}

/** The embedded store in a fresh folder, opened with these options; its dump is every file below the folder. */
function embedded(name: string, options: LowdbOpenOptions): StoreKind {
  return {
    name,
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'wijzer-privacy-'));
      const stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'), options);
      return {
        stores,
        dump: async () =>
          filesBelow(dir)
            .map((f) => `-- ${f}\n${readFileSync(f, 'utf8')}`)
            .join('\n'),
        dispose: async () => {
          await stores.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

export const STORE_KINDS: StoreKind[] = [
  embedded('embedded (lowdb)', {}),
  // As the bot opens it (holding the store lock): every write goes through the folder's journal first.
  embedded('embedded (lowdb) with its journal', { lockAs: 'the Wijzer bot' }),
  {
    name: 'PostgreSQL',
    open: async () => {
      const pair = await createDatabasePair();
      const stores = await openPostgresStores({
        databaseUrl: pair.databaseUrl,
        keyDatabaseUrl: pair.keyDatabaseUrl,
        poolMax: 3,
        claimLeaseMs: 0,
      });
      // As the bot opens it: completed interviews are saved with their export cells.
      stores.answers.keepExportCells(loadContent(REPO_ROOT));
      return {
        stores,
        dump: async () => `${await dumpDatabase(pair.databaseUrl)}\n${await dumpDatabase(pair.keyDatabaseUrl)}`,
        dispose: async () => {
          await stores.close();
          await pair.drop();
        },
      };
    },
  },
];
