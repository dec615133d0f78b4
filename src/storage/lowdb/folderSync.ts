import { close, fsync, open } from 'node:fs';
import { promisify } from 'node:util';
import { CoalescedWriter } from './coalescedWriter.js';

const openFolder = promisify(open);
const syncFolder = promisify(fsync);

/**
 * Makes the names in one folder durable (an fsync of the folder after a rename or link). The folder stays open
 * while the store is, instead of being opened and closed per write; and the renames of many turns at the same
 * moment share one fsync: each caller waits for an fsync that started after its call, which covers its rename.
 * The store lock says no other process renames the folder away meanwhile. A failed open or fsync fails every
 * caller waiting for it; the owner then drops this object and opens the folder anew on the next write.
 */
export class FolderSync {
  private readonly fd: Promise<number>;
  private readonly syncs: CoalescedWriter<void>;

  /** syncFd: the fsync itself (tests count them). */
  constructor(dir: string, syncFd: (fd: number) => Promise<void> = syncFolder) {
    this.fd = openFolder(dir, 'r');
    this.syncs = new CoalescedWriter(async () => syncFd(await this.fd));
  }

  sync(): Promise<void> {
    return this.syncs.write(undefined);
  }

  async close(): Promise<void> {
    const fd = await this.fd.catch(() => null);
    if (fd !== null) close(fd, () => undefined);
  }
}
