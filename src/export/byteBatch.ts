/** A batch is handed on once it holds about this many bytes: few writes, little held. */
export const BATCH_BYTES = 64 * 1024;

/** Room past a full batch for the rest of a record's lines; a longer one grows the batch. */
const SLACK = 16 * 1024;

/**
 * Output bytes made in place: text is written as UTF-8 straight into the batch and bytes encoded once are copied
 * in, so a file of hundreds of megabytes is never a JavaScript string. When full, take() hands the batch on and
 * starts a new one (a sink may hold what it was given until it is written, so a batch is never reused).
 */
export class ByteBatch {
  private buffer = Buffer.allocUnsafe(BATCH_BYTES + SLACK);
  private at = 0;

  get full(): boolean {
    return this.at >= BATCH_BYTES;
  }

  get empty(): boolean {
    return this.at === 0;
  }

  /** How many bytes the batch holds. */
  get length(): number {
    return this.at;
  }

  /** The bytes from `start` to `end` of what the batch holds, not copied (valid until take()). */
  slice(start: number, end: number): Buffer {
    return this.buffer.subarray(start, end);
  }

  /** Room for `more` bytes after what the batch holds (a long answer may outgrow it). */
  private room(more: number): void {
    if (this.at + more <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + more));
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
  }

  bytes(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buffer.set(bytes, this.at);
    this.at += bytes.length;
  }

  byte(value: number): void {
    this.room(1);
    this.buffer[this.at++] = value;
  }

  /** A UTF-16 code unit takes at most 3 bytes in UTF-8. */
  text(text: string): void {
    this.room(text.length * 3);
    this.at += this.buffer.write(text, this.at, 'utf8');
  }

  /** What the batch holds, handed on; the batch starts again empty. */
  take(): Buffer {
    const taken = this.buffer.subarray(0, this.at);
    this.buffer = Buffer.allocUnsafe(BATCH_BYTES + SLACK);
    this.at = 0;
    return taken;
  }
}

/** The items written one after another into batches, yielded as each fills: a file made while it is read. */
export async function* batchesOf<T>(
  head: Uint8Array,
  items: AsyncIterable<T>,
  write: (batch: ByteBatch, item: T) => void,
): AsyncIterable<Buffer> {
  const batch = new ByteBatch();
  batch.bytes(head);
  for await (const item of items) {
    write(batch, item);
    if (batch.full) yield batch.take();
  }
  if (!batch.empty) yield batch.take();
}
