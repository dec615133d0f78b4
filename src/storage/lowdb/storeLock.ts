import {
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
  fsyncSync,
  chmodSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

const LOCK_NAME = '.wijzer.lock';

const Owner = z.object({
  pid: z.number().int(),
  host: z.string(),
  startedAt: z.string(),
  bootTicks: z.string().nullable(),
  command: z.string(),
});
type Owner = z.infer<typeof Owner>;

/** Raised when another process holds the store: it names that process, so the operator can find it. */
export class StoreInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly owner: Owner,
  ) {
    super(
      `${dir} is in use by ${owner.command} (pid ${owner.pid} on ${owner.host}, started at ${owner.startedAt}); ` +
        `one process at a time may write the embedded store. Stop that one first` +
        (owner.host === hostname() ? '' : `, or, if it is gone, delete ${join(dir, LOCK_NAME)}`) +
        '.',
    );
    this.name = 'StoreInUseError';
  }
}

/** The start of a process in clock ticks since boot (/proc/<pid>/stat field 22): tells a reused pid from the owner. */
function bootTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function alive(owner: Owner): boolean {
  if (owner.host !== hostname()) return true; // Another machine (a shared folder): only its operator can tell.
  if (owner.pid === process.pid) return false; // Our own pid from an earlier life (a container restarted as pid 1).
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const ticks = bootTicks(owner.pid);
  return owner.bootTicks === null || ticks === null || ticks === owner.bootTicks;
}

function readOwner(file: string): Owner | null {
  try {
    return Owner.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // A lock file cut short by a crash while it was being written: its writer never held the store.
    return { pid: -1, host: hostname(), startedAt: 'unknown', bootTicks: null, command: 'an unknown process' };
  }
}

const held = new Map<string, string>();

/**
 * The single-writer lock of an embedded store folder: an O_EXCL lock file holding pid, host, start time and
 * command. A lock whose process is gone (kill -9, a crash) is taken over at once; the pid check (with the
 * process's start time against pid reuse) is why this is not proper-lockfile, whose staleness is an mtime
 * heartbeat: it would make a restarted bot wait its stale period and could break the lock of a live process whose
 * event loop stalled. Holding the lock is what lets the store keep what it read in memory.
 */
export function lockStore(dir: string, command: string): () => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = join(dir, LOCK_NAME);
  if (held.has(file))
    throw new StoreInUseError(
      dir,
      readOwner(file) ?? { pid: process.pid, host: hostname(), startedAt: held.get(file)!, bootTicks: null, command },
    );
  const me: Owner = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    bootTicks: bootTicks(process.pid),
    command,
  };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        writeSync(fd, JSON.stringify(me));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 3) throw err;
      const owner = readOwner(file);
      if (owner && alive(owner)) throw new StoreInUseError(dir, owner);
      // Stale: move it aside and try again. (Two processes taking over the same stale lock in the same instant
      // is the one race left; a supervisor starts one bot at a time.)
      try {
        renameSync(file, `${file}.stale-${process.pid}`);
        unlinkSync(`${file}.stale-${process.pid}`);
      } catch (gone) {
        if ((gone as NodeJS.ErrnoException).code !== 'ENOENT') throw gone;
      }
    }
  }
  held.set(file, me.startedAt);
  const release = () => {
    if (!held.delete(file)) return;
    process.removeListener('exit', release);
    try {
      if (readOwner(file)?.pid === process.pid) unlinkSync(file);
    } catch {
      // Already gone.
    }
  };
  process.once('exit', release);
  return release;
}

/** Who holds the store now, if anyone alive: for a command that only reads, to say beside whom it reads. */
export function storeOwner(dir: string): Owner | null {
  const owner = readOwner(join(dir, LOCK_NAME));
  return owner && alive(owner) ? owner : null;
}
