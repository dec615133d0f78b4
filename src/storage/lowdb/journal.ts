import { close, constants, fdatasync, ftruncate, open, write } from 'node:fs';
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJournal, JOURNAL_MAGIC, JournalCorruptError, type JournalRecord } from './journalRecords.js';

const openFile = promisify(open);
const syncData = promisify(fdatasync);
const closeFile = promisify(close);

/** The calls that change a journal file's bytes: the node:fs ones, or (tests) a disk that fails part-way. */
export interface JournalIo {
  write(fd: number, bytes: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
  truncate(fd: number, length: number): Promise<void>;
}

const FILE_IO: JournalIo = { write: promisify(write), truncate: promisify(ftruncate) };

const NAME = /^journal-(\d+)\.wal$/;
const FILE_MODE = 0o600;

/** A generation of the journal: one file, appended to until a checkpoint seals it. */
export interface JournalGeneration {
  gen: number;
  file: string;
  records: JournalRecord[];
  tornBytes: number;
}

/** What the journal needs from the store's file layer: its fault injection and the fsync of the store folder. */
export interface JournalDisk {
  /** Throws the injected fault for that operation on that file (tests), if any. */
  inject(op: 'read' | 'write', file: string): void;
  /** Makes a new generation's name durable before anything in it is acknowledged. */
  syncFolder(): Promise<void>;
  /** A journal file does not decode: the store's CorruptStoreFileError, naming it. */
  corrupt(file: string, why: string): Error;
}

interface Pending {
  bytes: Buffer;
  applied: (gen: number) => void;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function generationFile(root: string, gen: number): string {
  return join(root, `journal-${String(gen).padStart(6, '0')}.wal`);
}

/** The journal files in the store folder, oldest first; decoded (readGenerations) or only named (generations). */
export async function generations(root: string): Promise<{ gen: number; file: string }[]> {
  return (await readdir(root))
    .flatMap((name) => {
      const gen = NAME.exec(name)?.[1];
      return gen ? [{ gen: Number(gen), file: join(root, name) }] : [];
    })
    .sort((a, b) => a.gen - b.gen);
}

/**
 * Reads every generation; one that is gone meanwhile (a running bot's checkpoint removed it after its files were
 * brought up to date) is skipped. A damaged one is a corrupt store file: the error names it.
 */
export async function readGenerations(root: string, disk: JournalDisk): Promise<JournalGeneration[]> {
  const out: JournalGeneration[] = [];
  for (const { gen, file } of await generations(root)) {
    let bytes: Buffer;
    try {
      disk.inject('read', file);
      bytes = await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    try {
      out.push({ gen, file, ...decodeJournal(bytes) });
    } catch (err) {
      throw err instanceof JournalCorruptError ? disk.corrupt(file, err.message) : err;
    }
  }
  return out;
}

/**
 * The write-ahead journal of one store folder, with group commit: records appended while a write runs are written
 * together in the next one, and each append is acknowledged only after a durable write of its bytes (the file is
 * opened O_DSYNC, so a write returns as an fdatasync after it would). After a failed write the file is cut back to
 * its acknowledged records and nothing more is appended to it: the next batch opens a new generation. seal() ends
 * the current generation for a checkpoint.
 */
export class Journal {
  private current: { gen: number; fd: number; fresh: boolean } | null = null;
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private sealing = false;
  private written = 0;

  /** nextGen: one more than the newest generation on disk. */
  constructor(
    private readonly root: string,
    private nextGen: number,
    private readonly disk: JournalDisk,
    private readonly io: JournalIo = FILE_IO,
  ) {}

  /** Bytes appended to the current generation: a checkpoint is due when it grows large. */
  get size(): number {
    return this.written;
  }

  /**
   * Resolves once the record is durable; applied(gen) runs first, in append order and before any later seal(),
   * with the generation that holds the record.
   */
  append(bytes: Buffer, applied: (gen: number) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ bytes, applied, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.flushing || this.sealing || this.queue.length === 0) return;
    const batch = this.queue.splice(0);
    this.flushing = this.flush(batch).finally(() => {
      this.flushing = null;
      this.pump();
    });
  }

  private async flush(batch: Pending[]): Promise<void> {
    const current = this.current;
    try {
      const target = current ?? (await this.openGeneration());
      const bytes = Buffer.concat([...(target.fresh ? [JOURNAL_MAGIC] : []), ...batch.map((p) => p.bytes)]);
      this.disk.inject('write', generationFile(this.root, target.gen));
      for (let done = 0; done < bytes.length;) {
        done += (await this.io.write(target.fd, bytes, done, bytes.length - done)).bytesWritten;
      }
      if (target.fresh) await this.disk.syncFolder();
      target.fresh = false;
      this.written += bytes.length;
      for (const pending of batch) pending.applied(target.gen);
      for (const pending of batch) pending.resolve();
    } catch (err) {
      await this.cutBack();
      await this.retire();
      for (const pending of batch) pending.reject(err);
    }
  }

  /**
   * A failed batch was never acknowledged: the file goes back to what was (a full disk can always shrink a file),
   * so that none of the batch's records, whole or torn, comes back at the next start. If even that fails, whole
   * records of the batch may come back; each is one file's complete new content, never part of a larger change,
   * and what is acknowledged later goes to a newer generation, which replays after this one.
   */
  private async cutBack(): Promise<void> {
    const current = this.current;
    if (!current) return;
    try {
      await this.io.truncate(current.fd, this.written);
      await syncData(current.fd);
    } catch {
      // The batch's caller hears of the first fault; the file is retired either way.
    }
  }

  private async openGeneration(): Promise<{ gen: number; fd: number; fresh: boolean }> {
    const gen = this.nextGen++;
    // O_DSYNC: one thread-pool job per batch (the write) instead of two (a write, then an fdatasync).
    const fd = await openFile(
      generationFile(this.root, gen),
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_APPEND | constants.O_DSYNC,
      FILE_MODE,
    );
    this.current = { gen, fd, fresh: true };
    this.written = 0;
    return this.current;
  }

  /** Closes the current generation: the next append opens a new one. */
  private async retire(): Promise<void> {
    const current = this.current;
    this.current = null;
    this.written = 0;
    if (current) await closeFile(current.fd).catch(() => undefined);
  }

  /**
   * Waits for the batch being written, then ends the generation: every record acknowledged so far is in a
   * generation up to the returned number, every later one in a newer generation.
   */
  async seal(): Promise<number> {
    this.sealing = true;
    try {
      await this.flushing;
      await this.retire();
      return this.nextGen - 1;
    } finally {
      this.sealing = false;
      this.pump();
    }
  }

  /** Removes the generations up to `gen` (their records are in the files now); the caller syncs the folder. */
  async removeUpTo(gen: number): Promise<void> {
    for (const old of await generations(this.root)) {
      if (old.gen <= gen)
        await unlink(old.file).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        });
    }
  }
}
