import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MockConnector, type MockConnectorOptions } from '../../scripts/support/mockConnector.js';
import { readConfig } from '../../src/config/env.js';
import { startServer, type RunningServer } from '../../src/server.js';
import type { OpenStores } from '../../src/storage/open.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface LocalServerOptions {
  /** Settings on top of local mode, the repository's content and the temporary folders. */
  env?: Record<string, string>;
  connector?: MockConnectorOptions;
  /** Stores the test opens itself (to look into them while the server runs); else the server opens its own. */
  stores?: (dataDir: string, keyDir: string) => OpenStores;
}

/** The real server in this process, in local mode on the embedded store in a fresh temporary folder. */
export interface LocalServer {
  server: RunningServer;
  /** The mock Bot Connector the bot's replies go to. */
  connector: MockConnector;
  /** The temporary folder, holding `dataDir` and `keyDir`. */
  dir: string;
  dataDir: string;
  keyDir: string;
  /** Stops the server and the connector and removes the folder. */
  close(): Promise<void>;
}

export async function startLocalServer(name: string, options: LocalServerOptions = {}): Promise<LocalServer> {
  process.env.WIJZER_QUIET = '1';
  const dir = mkdtempSync(join(tmpdir(), `wijzer-${name}-`));
  const dataDir = join(dir, 'data');
  const keyDir = join(dir, 'keys');
  const connector = await MockConnector.start(options.connector);
  const config = readConfig({
    WIJZER_LOCAL: '1',
    DATA_DIR: dataDir,
    KEY_DIR: keyDir,
    CONTENT_DIR: ROOT,
    PORT: '0',
    ...options.env,
  });
  const server = await startServer(config, options.stores?.(dataDir, keyDir));
  return {
    server,
    connector,
    dir,
    dataDir,
    keyDir,
    close: async () => {
      await server.close();
      await connector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
