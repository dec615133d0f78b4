import { resolve, relative, isAbsolute } from 'node:path';
import type { Stores } from '../ports.js';
import { LowdbAnswerStore } from './answerStore.js';
import { LowdbKeyStore } from './keyStore.js';
import { LowdbOutboxStore } from './outboxStore.js';

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The embedded default: answers under DATA_DIR, identity under KEY_DIR, neither inside the other. */
export function openLowdbStores(dataDir: string, keyDir: string): Stores {
  const data = resolve(dataDir);
  const keys = resolve(keyDir);
  if (inside(data, keys) || inside(keys, data)) {
    throw new Error(`KEY_DIR (${keys}) and DATA_DIR (${data}) must be separate folders, neither inside the other`);
  }
  const outbox = new LowdbOutboxStore(keys);
  return { answers: new LowdbAnswerStore(data), keys: new LowdbKeyStore(keys, () => outbox.pseudonymsWithJobs()), outbox, close: async () => {} };
}
