import { resolve, relative, isAbsolute } from 'node:path';
import type { Stores } from '../../ports/stores.js';
import { LowdbAnswerStore } from './answerStore.js';
import { LowdbKeyStore } from './keyStore.js';
import { LowdbOutboxStore } from './outboxStore.js';
import { StoreFiles } from './storeFiles.js';
import { lockStore, StoreInUseError } from './storeLock.js';

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export type LowdbStores = Stores & {
  answers: LowdbAnswerStore;
  keys: LowdbKeyStore;
  outbox: LowdbOutboxStore;
  /** The two folders' file layers: where tests inject disk faults. */
  dataFiles: StoreFiles;
  keyFiles: StoreFiles;
  /** The start is over: a corrupt file found from now on is quarantined instead of stopping the process. */
  started(): void;
  /** Files moved to quarantine since the start. */
  quarantined(): number;
};

export interface LowdbOpenOptions {
  /**
   * Take the single-writer lock of both folders in the name of this command: a second writer is refused with
   * the name of the first. Without it (tests that build stores in-process) the caller answers for being alone.
   */
  lockAs?: string;
  /** With lockAs: when another process holds the store, open it read-only beside it instead of refusing. */
  readOnlyIfHeld?: boolean;
}

/** The embedded default: answers under DATA_DIR, identity under KEY_DIR, neither inside the other. */
export function openLowdbStores(dataDir: string, keyDir: string, options: LowdbOpenOptions = {}): LowdbStores {
  const data = resolve(dataDir);
  const keys = resolve(keyDir);
  if (inside(data, keys) || inside(keys, data)) {
    throw new Error(`KEY_DIR (${keys}) and DATA_DIR (${data}) must be separate folders, neither inside the other`);
  }
  const releases: (() => void)[] = [];
  let readOnly: string | undefined;
  if (options.lockAs) {
    try {
      releases.push(lockStore(data, options.lockAs));
      releases.push(lockStore(keys, options.lockAs));
    } catch (err) {
      for (const release of releases) release();
      if (!(err instanceof StoreInUseError && options.readOnlyIfHeld)) throw err;
      readOnly = `${options.lockAs} reads beside ${err.owner.command} (pid ${err.owner.pid}, started at ${err.owner.startedAt}), which holds the store; stop it to make changes`;
    }
  }
  // The journal needs the lock: its replay and checkpoints assume that no other process writes the folder.
  const journal = options.lockAs ? (readOnly ? 'reader' : 'writer') : undefined;
  const dataFiles = new StoreFiles(data, 'answers', readOnly, journal);
  const keyFiles = new StoreFiles(keys, 'keys', readOnly, journal);
  const outbox = new LowdbOutboxStore(keys, keyFiles);
  return {
    answers: new LowdbAnswerStore(data, dataFiles),
    keys: new LowdbKeyStore(keys, keyFiles, () => outbox.pseudonymsWithJobs()),
    outbox,
    dataFiles,
    keyFiles,
    started: () => {
      dataFiles.started();
      keyFiles.started();
    },
    quarantined: () => dataFiles.quarantined + keyFiles.quarantined,
    close: async () => {
      outbox.releaseAll();
      await Promise.all([dataFiles.close(), keyFiles.close()]);
      for (const release of releases.splice(0)) release();
    },
  };
}
