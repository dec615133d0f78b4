import http from 'node:http';
import { join } from 'node:path';
import type { InterviewRecord } from '../../src/interview/types.js';
import type { MockConnector } from '../support/mockConnector.js';
import { ROOT } from './constants.js';
import { identities, poster } from './load.js';
import { interviews } from './participants.js';
import { ServerProcess } from './serverProcess.js';
import { verifyStore } from './verify.js';

/** A real, complete record when phase a is skipped: one participant through a server of its own. */
export async function oneRecord(tmp: string, connector: MockConnector): Promise<InterviewRecord> {
  const dataDir = join(tmp, 'record-data');
  const keyDir = join(tmp, 'record-keys');
  const server = await ServerProcess.start('wijzer', { DATA_DIR: dataDir, KEY_DIR: keyDir, CONTENT_DIR: ROOT }, null);
  const agent = new http.Agent({ keepAlive: true });
  try {
    const people = identities('record', 1, connector.url);
    await interviews(people, poster(server.url, agent), connector, 1);
  } finally {
    agent.destroy();
    await server.close();
  }
  return verifyStore(dataDir, keyDir, identities('record', 1, connector.url), 1);
}
