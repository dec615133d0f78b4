import { ByteBatch } from './byteBatch.js';

/**
 * Short rows that arrive in one order and are written in another (the background's lines, read in R order and
 * written in letter order): their bytes one after another in one buffer, and where each rank's row starts and
 * ends, so that holding them costs the bytes and two numbers a row, not a string each.
 */
export class RowsByRank {
  private readonly rows = new ByteBatch();
  private readonly starts: Int32Array;
  private readonly ends: Uint32Array;

  constructor(count: number) {
    this.starts = new Int32Array(count).fill(-1);
    this.ends = new Uint32Array(count);
  }

  /** The row of this rank, as `write` makes it. */
  add(rank: number, write: (batch: ByteBatch) => void): void {
    this.starts[rank] = this.rows.length;
    write(this.rows);
    this.ends[rank] = this.rows.length;
  }

  /** The rows in rank order, in batches after `head`; a rank no row was added for is left out. */
  *inOrder(head: Uint8Array): Iterable<Buffer> {
    const out = new ByteBatch();
    out.bytes(head);
    for (let rank = 0; rank < this.starts.length; rank++) {
      const start = this.starts[rank] ?? -1;
      if (start < 0) continue;
      out.bytes(this.rows.slice(start, this.ends[rank] ?? start));
      if (out.full) yield out.take();
    }
    if (!out.empty) yield out.take();
  }
}
