import { close, constants, fsync, open, write } from 'node:fs';
import { link, lstat, mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import type { ZodType } from 'zod';
import { log } from '../../log.js';
import { StoreUnavailableError } from '../../ports/stores.js';
import { KeyedLock } from '../../keyedLock.js';
import { FolderSync } from './folderSync.js';
import { JournaledFiles } from './journaledFiles.js';

// The plain file-descriptor calls: a write is a handful of them, without a FileHandle object per file.
const openFile = promisify(open);
const writeText = promisify(write);
const syncFile = promisify(fsync);
const closeFile = promisify(close);

export type FileOp = 'read' | 'write' | 'remove' | 'list';

/** A fault to inject (tests): return an errno error to make that operation on that file fail as the disk would. */
export type Fault = (op: FileOp, file: string) => NodeJS.ErrnoException | undefined;

/** Raised at start (or by a command) for a store file that is not what it should be: it names the file. */
export class CorruptStoreFileError extends Error {
  constructor(
    readonly file: string,
    why: string,
  ) {
    super(
      `${file} is corrupt (${why}); nothing was changed: repair the file or move it out of the store, then start again`,
    );
    this.name = 'CorruptStoreFileError';
  }
}

/** A write attempted through a store opened read-only (a command running beside the bot). */
export class ReadOnlyStoreError extends Error {
  constructor(reason: string) {
    super(`the store is open read-only: ${reason}`);
    this.name = 'ReadOnlyStoreError';
  }
}

/** Disk conditions that a turn cannot fix but that may pass: the participant is asked to try again. */
const UNAVAILABLE = new Set(['ENOSPC', 'EROFS', 'EIO', 'EDQUOT', 'EACCES', 'EPERM', 'EMFILE', 'ENFILE', 'EBUSY']);

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/**
 * The one way the embedded stores touch the disk, so that every write has the same guarantees and faults can be
 * injected in one place:
 * - a write goes to a temporary file in the same folder, is fsynced, renamed over the old file, and the folder is
 *   fsynced: after a crash the file is the old or the new version, and a version that was acknowledged is on disk;
 * - a new record is created exclusively (a journal record once the name is known to be free, or without a journal a
 *   link of the fsynced temporary file, which fails if the name exists), so a letter code is never issued twice and
 *   one participant's file never overwrites another's;
 * - files are 0600 and folders 0700: the stores are readable by the bot's account only;
 * - a file that does not parse (truncated, not JSON, not its schema) stops the start with its name; found while
 *   running, it is moved to <store>/quarantine/ and reported, and the rest of the store keeps working.
 */
export class StoreFiles {
  fault: Fault | undefined;
  private running = false;
  private quarantinedCount = 0;
  private readonly madeDirs = new Map<string, Promise<void>>();
  private readonly folders = new Map<string, FolderSync>();
  /** Temporary files are named by this process's pid and a count: the store lock makes the name unique. */
  private temps = 0;
  /** Creations of one name run one after another: the check that no file has it and the write are one step. */
  private readonly creates = new KeyedLock();
  /** The folder's write-ahead journal: only with the store lock (its writer, or a reader beside it). */
  private readonly journal: JournaledFiles | null;

  /** journal: 'writer' when this process holds the store lock, 'reader' beside the process that holds it. */
  constructor(
    readonly root: string,
    private readonly name: 'answers' | 'keys',
    private readonly readOnly?: string,
    journal?: 'writer' | 'reader',
  ) {
    this.journal = journal
      ? new JournaledFiles(
          root,
          {
            inject: (op, file) => this.inject(op, file),
            syncFolder: () => this.syncDir(root),
            writeText: (file, text) => this.writeText(file, text),
            removeFile: (file) => this.removeFile(file),
            corrupt: (file, why) => new CorruptStoreFileError(file, why),
          },
          journal === 'writer',
        )
      : null;
  }

  /** From now on a corrupt file is quarantined rather than stopping the process (the start is over). */
  started(): void {
    this.running = true;
  }

  get quarantined(): number {
    return this.quarantinedCount;
  }

  private inject(op: FileOp, file: string): void {
    const err = this.fault?.(op, file);
    if (err) throw err;
  }

  /** Disk errors become StoreUnavailableError (with the reason logged); others (bugs) pass unchanged. */
  private unavailable(op: FileOp, file: string, err: unknown): unknown {
    const code = (err as NodeJS.ErrnoException)?.code;
    if (!code || !UNAVAILABLE.has(code)) return err;
    log.error(`store.${this.name}.${op}.failed`, `${code} in ${this.kindOf(file)}`);
    return new StoreUnavailableError(`${this.name} store: ${code} on ${op}`);
  }

  /** The folder kind of a file (rounds, participants, outbox...): enough to find the problem, names no one. */
  private kindOf(file: string): string {
    return (
      relative(this.root, file)
        .split(sep)
        .reverse()
        .find((part) => ['interviews', 'participants', 'outbox', 'rounds'].includes(part)) ?? basename(file)
    );
  }

  private refuseWrite(): void {
    if (this.readOnly) throw new ReadOnlyStoreError(this.readOnly);
  }

  /** Reads and checks a JSON file: null when it does not exist (or was just quarantined). */
  async readJson<T>(file: string, schema: ZodType): Promise<T | null> {
    if (this.journal) {
      await this.journal.ready;
      const entry = this.journal.get(file);
      // The journal's version is newer than the file's: it was written by this program, and checked when it was.
      if (entry) return entry.text === null ? null : (JSON.parse(entry.text) as T);
    }
    let text: string;
    try {
      this.inject('read', file);
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw this.unavailable('read', file, err);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      return this.corrupt(file, text.length ? `not JSON: ${(err as Error).message}` : 'empty');
    }
    const checked = schema.safeParse(data);
    if (!checked.success)
      return this.corrupt(
        file,
        `not a valid record: ${checked.error.issues[0]?.path.join('.') || 'root'} ${checked.error.issues[0]?.message ?? ''}`.trim(),
      );
    return data as T;
  }

  private async corrupt(file: string, why: string): Promise<null> {
    if (!this.running || this.readOnly) throw new CorruptStoreFileError(file, why);
    const rel = relative(this.root, file);
    const target = join(
      this.root,
      'quarantine',
      `${new Date().toISOString().replace(/[:.]/g, '-')}-${rel.split(sep).join('__')}`,
    );
    await this.ensureDir(dirname(target));
    await rename(file, target);
    await this.syncDir(dirname(file));
    await this.syncDir(dirname(target));
    this.quarantinedCount++;
    log.error(
      `store.${this.name}.quarantined`,
      `a corrupt file in ${this.kindOf(file)} was moved to ${this.name} quarantine/ (${why.slice(0, 120)})`,
    );
    return null;
  }

  /**
   * Replaces the file's content durably: through the journal when there is one (erase: also wait for a checkpoint,
   * so that no journal file keeps an older version), else temporary file, fsync, rename, fsync of the folder.
   * Returns the text written: compact JSON, a fifth smaller than indented and cheaper to make and to read back.
   */
  async writeJson(file: string, data: unknown, options: { erase?: boolean } = {}): Promise<string> {
    const text = JSON.stringify(data);
    await this.writeJsonText(file, text, options);
    return text;
  }

  /** writeJson for a caller that holds the data's JSON text already: the data is serialised once, not twice. */
  async writeJsonText(file: string, text: string, options: { erase?: boolean } = {}): Promise<void> {
    this.refuseWrite();
    if (!this.journal) return this.writeText(file, text);
    try {
      this.inject('write', file);
      await this.journal.put(file, text);
      if (options.erase) await this.journal.checkpoint();
    } catch (err) {
      throw this.unavailable('write', file, err);
    }
  }

  private async writeText(file: string, text: string): Promise<void> {
    try {
      const temp = await this.writeTemp(file, text);
      try {
        await rename(temp, file);
      } catch (err) {
        await unlink(temp).catch(() => undefined);
        throw err;
      }
      await this.syncDir(dirname(file));
    } catch (err) {
      throw this.unavailable('write', file, err);
    }
  }

  /**
   * Creates the file durably if no file has that name: false when one exists (nothing is changed then). With a
   * journal the new file is one journal record, as any write (a consent costs one durable write, not two fsyncs and
   * a link); the store lock makes this process the folder's only writer, so the name is checked in the journal and
   * on disk under a lock of its own. Without one, a link of the fsynced temporary file, which fails if the name exists.
   */
  async createJson(file: string, data: unknown): Promise<boolean> {
    this.refuseWrite();
    if (this.journal) return this.creates.run(file, () => this.createJournaled(file, JSON.stringify(data)));
    try {
      const temp = await this.writeTemp(file, JSON.stringify(data));
      try {
        await link(temp, file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw err;
      } finally {
        await unlink(temp).catch(() => undefined);
      }
      await this.syncDir(dirname(file));
      return true;
    } catch (err) {
      throw this.unavailable('write', file, err);
    }
  }

  private async createJournaled(file: string, text: string): Promise<boolean> {
    const journal = this.journal!;
    try {
      await journal.ready;
      const entry = journal.get(file);
      // The journal's word is the newest: a file it removed is gone, whatever the disk still holds until a checkpoint.
      if (entry) {
        if (entry.text !== null) return false;
      } else if (await this.exists(file)) return false;
      this.inject('write', file);
      await journal.put(file, text);
      return true;
    } catch (err) {
      throw this.unavailable('write', file, err);
    }
  }

  private async exists(file: string): Promise<boolean> {
    try {
      this.inject('read', file);
      await lstat(file);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /**
   * Removes the file durably. With a journal the removal is a record, and the call waits for the checkpoint that
   * follows it: when it returns, neither the file nor any journal file holds what it held.
   */
  async remove(file: string): Promise<void> {
    this.refuseWrite();
    if (!this.journal) return this.removeFile(file);
    try {
      this.inject('remove', file);
      await this.journal.put(file, null);
      await this.journal.checkpoint();
    } catch (err) {
      throw this.unavailable('remove', file, err);
    }
  }

  private async removeFile(file: string): Promise<void> {
    try {
      this.inject('remove', file);
      await unlink(file);
      await this.syncDir(dirname(file));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw this.unavailable('remove', file, err);
    }
  }

  /** The names in a folder; none when it does not exist. */
  async list(dir: string): Promise<string[]> {
    let names: string[];
    try {
      this.inject('list', dir);
      await this.journal?.ready;
      names = await readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw this.unavailable('list', dir, err);
      names = [];
    }
    if (!this.journal) return names;
    const { added, removed } = this.journal.names(dir);
    return [...new Set([...names.filter((name) => !removed.has(name)), ...added])];
  }

  /**
   * Makes the folder (0700) once per store, not on every write of the hot path; and removes the temporary files
   * a killed process left in it (the store lock says that no other process is writing them).
   */
  ensureDir(dir: string): Promise<void> {
    let made = this.madeDirs.get(dir);
    if (!made) {
      made = (async () => {
        await mkdir(dir, { recursive: true, mode: DIR_MODE });
        for (const name of await readdir(dir)) {
          if (name.startsWith('.') && name.endsWith('.tmp')) await unlink(join(dir, name)).catch(() => undefined);
        }
      })();
      this.madeDirs.set(dir, made);
      made.catch(() => this.madeDirs.delete(dir));
    }
    return made;
  }

  private async writeTemp(file: string, text: string): Promise<string> {
    await this.ensureDir(dirname(file));
    const temp = join(dirname(file), `.${basename(file)}.${process.pid}-${++this.temps}.tmp`);
    const fd = await openFile(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, FILE_MODE);
    try {
      const fault = this.fault?.('write', file);
      if (fault) {
        // What a full disk does: part of the data is written, then the write fails.
        await writeText(fd, text.slice(0, Math.floor(text.length / 2)));
        throw fault;
      }
      await this.writeAll(fd, Buffer.from(text));
      await syncFile(fd);
    } catch (err) {
      await closeFile(fd).catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw err;
    }
    await closeFile(fd);
    return temp;
  }

  /** A write may take fewer bytes than given (a signal, a nearly full disk): the rest follows. */
  private async writeAll(fd: number, bytes: Buffer): Promise<void> {
    for (let done = 0; done < bytes.length;) {
      done += (await writeText(fd, bytes, done, bytes.length - done)).bytesWritten;
    }
  }

  /** The folder's fsync, shared with the other renames in it at the moment; a failed one is opened anew next time. */
  private async syncDir(dir: string): Promise<void> {
    let folder = this.folders.get(dir);
    if (!folder) this.folders.set(dir, (folder = new FolderSync(dir)));
    try {
      await folder.sync();
    } catch (err) {
      if (this.folders.get(dir) === folder) {
        this.folders.delete(dir);
        void folder.close();
      }
      throw err;
    }
  }

  /** Brings the files up to date with the journal now, as its next timed checkpoint would (nothing without one). */
  async checkpoint(): Promise<void> {
    await this.journal?.checkpoint();
  }

  /** Checkpoints the journal, closes the folders kept open for their fsyncs (the store is being closed). */
  async close(): Promise<void> {
    // A failed last checkpoint is logged; the journal stays and is replayed at the next start.
    await this.journal?.close().catch(() => undefined);
    const folders = [...this.folders.values()];
    this.folders.clear();
    await Promise.all(folders.map((folder) => folder.close()));
  }
}
