import { basename, dirname, join, relative, sep } from 'node:path';
import { log } from '../../log.js';
import { CoalescedWriter } from './coalescedWriter.js';
import { Journal, readGenerations, type JournalDisk } from './journal.js';
import { encodeRecord } from './journalRecords.js';

/** A file's content as the journal has it (null: removed), and the generation that holds it. */
interface Entry {
  text: string | null;
  gen: number;
}

/** What the journal's checkpoint needs from the store's file layer: durable writes of the files themselves. */
export interface CheckpointDisk extends JournalDisk {
  /** Temporary file, fsync, rename, fsync of the folder. */
  writeText(file: string, text: string): Promise<void>;
  /** unlink and fsync of the folder; a file that is not there is fine. */
  removeFile(file: string): Promise<void>;
}

/** A checkpoint is due this long after the first record since the last one, or when the journal is this large. */
export const CHECKPOINT_AFTER_MS = 10_000;
export const CHECKPOINT_BYTES = 32 * 1024 * 1024;
/** Files a checkpoint writes at the same time: it leaves libuv's other threads to the turns' appends. */
const CHECKPOINT_WRITERS = 2;

/**
 * The store files of a folder behind its write-ahead journal. A write is one record appended to the journal
 * (a shared durable write, see Journal) and is then served from memory; a checkpoint (every CHECKPOINT_AFTER_MS, when
 * the journal reaches CHECKPOINT_BYTES, when the store closes, and before an erasure reports done) writes each
 * changed file once, durably, and then removes the journal generations it covered. So many turns of one
 * interview cost one rewrite of its file.
 *
 * A writer (the process holding the store lock) replays the journal at open and checkpoints it before anything
 * else; a reader beside a running bot replays it into memory and leaves it alone, so it sees every acknowledged
 * write without the files being current.
 */
export class JournaledFiles {
  private readonly entries = new Map<string, Entry>();
  private journal: Journal | null = null;
  private readonly checkpoints = new CoalescedWriter<void>(() => this.checkpointOnce());
  private timer: NodeJS.Timeout | null = null;
  /** Replay, and for a writer the first checkpoint: every call waits for it. */
  readonly ready: Promise<void>;

  constructor(
    private readonly root: string,
    private readonly disk: CheckpointDisk,
    private readonly writer: boolean,
  ) {
    this.ready = this.replay();
    // A failed replay is reported to every call that waits for it, not as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  private async replay(): Promise<void> {
    let newest = 0;
    try {
      for (const generation of await readGenerations(this.root, this.disk)) {
        newest = generation.gen;
        for (const record of generation.records) {
          this.entries.set(join(this.root, record.file), { text: record.text, gen: generation.gen });
        }
        if (generation.tornBytes) log.warn('store.journal.torn', { bytes: generation.tornBytes });
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if (!this.writer) return;
    this.journal = new Journal(this.root, newest + 1, this.disk);
    if (newest) await this.checkpointOnce();
  }

  /** The journal's version of the file: undefined when only the file on disk knows it. */
  get(file: string): Entry | undefined {
    return this.entries.get(file);
  }

  /**
   * The names in the folder the journal adds to (written) and takes from (removed) what the folder lists. A file
   * written further down adds its first folder below this one: until a checkpoint that folder (a new round's)
   * exists only in the journal.
   */
  names(dir: string): { added: string[]; removed: Set<string> } {
    const added = new Set<string>();
    const removed = new Set<string>();
    for (const [file, entry] of this.entries) {
      if (dirname(file) === dir) {
        if (entry.text === null) removed.add(basename(file));
        else added.add(basename(file));
        continue;
      }
      const [first, ...rest] = relative(dir, file).split(sep);
      if (entry.text !== null && first && first !== '..' && rest.length) added.add(first);
    }
    return { added: [...added], removed };
  }

  /** The file's name in a journal record: its path under the store folder (path.relative resolves both first). */
  private nameOf(file: string): string {
    const prefix = this.root + sep;
    return file.startsWith(prefix) && !file.includes(`${sep}..`)
      ? file.slice(prefix.length)
      : relative(this.root, file);
  }

  /** Writes the file's new content (null: removes it); resolves once it is durable in the journal. */
  async put(file: string, text: string | null): Promise<void> {
    await this.ready;
    const journal = this.journal;
    if (!journal) throw new Error('the journal is open for reading only');
    const bytes = encodeRecord({ file: this.nameOf(file), text });
    await journal.append(bytes, (gen) => this.entries.set(file, { text, gen }));
    this.scheduleCheckpoint(journal);
  }

  /**
   * Waits for a checkpoint that starts after this call: what was written or removed before it is then in the
   * files alone, and no journal file holds an older version (an erasure, such as a withdrawal, is real).
   */
  async checkpoint(): Promise<void> {
    await this.ready;
    if (this.journal) await this.checkpoints.write(undefined);
  }

  private scheduleCheckpoint(journal: Journal): void {
    if (journal.size >= CHECKPOINT_BYTES) {
      void this.checkpoints.write(undefined).catch(() => undefined);
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.checkpoints.write(undefined).catch(() => undefined);
      }, CHECKPOINT_AFTER_MS);
      this.timer.unref();
    }
  }

  private async checkpointOnce(): Promise<void> {
    const journal = this.journal;
    if (!journal) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const sealed = await journal.seal();
    const due = [...this.entries].filter(([, entry]) => entry.gen <= sealed);
    try {
      const queue = [...due];
      await Promise.all(
        Array.from({ length: CHECKPOINT_WRITERS }, async () => {
          for (let next = queue.shift(); next; next = queue.shift()) {
            const [file, entry] = next;
            if (entry.text === null) await this.disk.removeFile(file);
            else await this.disk.writeText(file, entry.text);
          }
        }),
      );
      await journal.removeUpTo(sealed);
      await this.disk.syncFolder();
    } catch (err) {
      // The code only: the error's message names the file, and a key file's name is a pseudonym.
      log.error('store.journal.checkpoint.failed', (err as NodeJS.ErrnoException).code ?? (err as Error).name);
      // The journal still holds everything: the next checkpoint tries again.
      if (this.entries.size) this.scheduleCheckpoint(journal);
      throw err;
    }
    for (const [file, entry] of due) if (this.entries.get(file) === entry) this.entries.delete(file);
  }

  /** The store closes: a last checkpoint, so that the files alone hold everything. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ready.catch(() => undefined);
    if (this.journal && this.entries.size) await this.checkpoints.write(undefined);
    else await this.journal?.seal();
  }
}
