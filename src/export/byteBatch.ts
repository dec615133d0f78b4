import { BATCH_BYTES, type Sink } from './file.js';

/** Room past a full batch for the rest of a record's lines; a longer one grows the batch. */
const SLACK = 16 * 1024;
/** Up to this many bytes (an R code, a column, "yes" and the line end) are copied byte by byte: set() costs more. */
const SHORT = 24;

/**
 * Output bytes made in place: text is written as UTF-8 straight into the batch and bytes encoded once are copied
 * in, so a file of hundreds of megabytes is never a JavaScript string. When full, take() hands the batch on and
 * starts another (a sink may hold what it was given until it is written: a batch is filled again only once its
 * reader says it is done with it, reuse()).
 */
export class ByteBatch {
  /** What a buffer of this batch holds before it grows: `fullAt` and the slack. */
  private readonly capacity: number;
  private buffer: Buffer;
  private spare: Buffer | undefined;
  private at = 0;

  /** fullAt: the bytes at which the batch is full (a file's write size by default). */
  constructor(private readonly fullAt = BATCH_BYTES) {
    this.capacity = fullAt + SLACK;
    this.buffer = Buffer.allocUnsafe(this.capacity);
  }

  get full(): boolean {
    return this.at >= this.fullAt;
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
    const length = bytes.length;
    this.room(length);
    if (length > SHORT) this.buffer.set(bytes, this.at);
    else for (let i = 0; i < length; i++) this.buffer[this.at + i] = bytes[i]!;
    this.at += length;
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

  /** What the batch holds, handed on; the batch starts again empty (in the spare, when there is one). */
  take(): Buffer {
    const taken = this.buffer.subarray(0, this.at);
    this.buffer = this.spare ?? Buffer.allocUnsafe(this.capacity);
    this.spare = undefined;
    this.at = 0;
    return taken;
  }

  /**
   * A batch taken earlier that its reader is done with, filled again instead of a new one: hundreds of megabytes
   * of short-lived buffers live outside the JavaScript heap, and on a busy machine they are freed late enough to
   * grow the process by tens of megabytes. One grown for a long answer is let go.
   */
  reuse(taken: Buffer): void {
    if (taken.byteOffset === 0 && taken.buffer.byteLength === this.capacity)
      this.spare = Buffer.from(taken.buffer, 0, this.capacity);
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

/**
 * A batch written to a sink whenever it fills, with one write in flight: the next batch is filled while the sink
 * writes the last, and a batch is filled again once the sink's write of it has resolved (see Sink).
 */
export class SinkBatches {
  readonly batch = new ByteBatch();
  private inFlight: Promise<void> = Promise.resolve();

  constructor(private readonly sink: Sink) {}

  async flush(): Promise<void> {
    await this.inFlight;
    const chunk = this.batch.take();
    const written = this.sink.write(chunk).then(() => this.batch.reuse(chunk));
    // A failed write is thrown by the next flush or by end(), not left unhandled meanwhile.
    written.catch(() => undefined);
    this.inFlight = written;
  }

  async end(): Promise<void> {
    if (!this.batch.empty) await this.flush();
    await this.inFlight;
    await this.sink.end();
  }
}
