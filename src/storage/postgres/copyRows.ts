/**
 * The values of a one-column `COPY ... TO STDOUT (FORMAT binary)`, one Buffer a row, as the chunks arrive. The
 * binary format needs no unescaping (the text format doubles every backslash of a JSON text): a fixed header, then
 * per row a 16-bit field count and, per field, a 32-bit length and the bytes; a field count of -1 ends the data.
 * https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
 */

/** "PGCOPY\n\377\r\n\0", then 32-bit flags and the length of a header extension. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER = SIGNATURE.length + 8;
const END = -1;

/** How many bytes the row (or end marker) that `part` begins takes, as far as `part` tells: at least its head. */
function unitBytes(part: Buffer): number {
  if (part.length < 2 || part.readInt16BE(0) === END) return 2;
  if (part.length < 6) return 6;
  return 6 + Math.max(0, part.readInt32BE(2));
}

export async function* copyRows(chunks: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  let headerLeft = true;
  let ended = false;
  /** The whole rows of `buffer` from `at`; returns where the first incomplete one starts. */
  function* rowsOf(buffer: Buffer, at: number): Generator<Buffer, number> {
    while (buffer.length - at >= 2) {
      const fields = buffer.readInt16BE(at);
      if (fields === END) {
        ended = true;
        break;
      }
      if (fields !== 1) throw new Error(`COPY sent ${fields} columns where one was asked for`);
      if (buffer.length - at < 6) break;
      const length = buffer.readInt32BE(at + 2);
      if (length < 0) throw new Error('COPY sent a NULL where a value was asked for');
      if (buffer.length - at - 6 < length) break;
      yield buffer.subarray(at + 6, at + 6 + length);
      at += 6 + length;
    }
    return at;
  }
  // Read to the stream's end (the end marker is its last bytes), so that the COPY finishes on the connection.
  for await (const chunk of chunks) {
    if (ended) continue;
    let buffer = chunk;
    let at = 0;
    if (headerLeft) {
      buffer = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      if (buffer.length < HEADER) {
        pending = buffer;
        continue;
      }
      if (!buffer.subarray(0, SIGNATURE.length).equals(SIGNATURE))
        throw new Error('COPY did not answer in the binary format');
      at = HEADER + buffer.readUInt32BE(SIGNATURE.length + 4);
      headerLeft = false;
      pending = Buffer.alloc(0);
    }
    // A row begun in the last chunk is completed from this one's head: only its bytes are copied, not the chunk.
    while (pending.length) {
      const wanted = unitBytes(pending);
      const more = Math.min(wanted - pending.length, buffer.length - at);
      pending = Buffer.concat([pending, buffer.subarray(at, at + more)]);
      at += more;
      if (pending.length < wanted) break;
      if (unitBytes(pending) > pending.length) continue;
      yield* rowsOf(pending, 0);
      pending = Buffer.alloc(0);
    }
    if (ended || pending.length) continue;
    pending = buffer.subarray(yield* rowsOf(buffer, at));
  }
  if (!ended) throw new Error('COPY ended before its end marker');
}
