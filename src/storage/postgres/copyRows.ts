/**
 * The rows of a `COPY ... TO STDOUT (FORMAT binary)`, each its fields' bytes, as the chunks arrive. The
 * binary format needs no unescaping (the text format doubles every backslash of a JSON text): a fixed header, then
 * per row a 16-bit field count and, per field, a 32-bit length and the bytes; a field count of -1 ends the data.
 * https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
 */

/** "PGCOPY\n\377\r\n\0", then 32-bit flags and the length of a header extension. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER = SIGNATURE.length + 8;
const END = -1;

/** How many bytes the row (or end marker) at `at` of `part` takes, as far as `part` tells: at least its head. */
function unitBytes(part: Buffer, at = 0): number {
  if (part.length - at < 2 || part.readInt16BE(at) === END) return 2;
  const fields = part.readInt16BE(at);
  let size = 2;
  for (let f = 0; f < fields; f++) {
    if (part.length - at < size + 4) return size + 4;
    size += 4 + Math.max(0, part.readInt32BE(at + size));
  }
  return size;
}

/** The rows of a binary COPY of `columns` columns, each as its fields' bytes (not copied). */
export async function* copyRows(chunks: AsyncIterable<Buffer>, columns = 1): AsyncIterable<Buffer[]> {
  let pending: Buffer = Buffer.alloc(0);
  let headerLeft = true;
  let ended = false;
  /** The whole rows of `buffer` from `at`; returns where the first incomplete one starts. */
  function* rowsOf(buffer: Buffer, at: number): Generator<Buffer[], number> {
    while (buffer.length - at >= 2) {
      const fields = buffer.readInt16BE(at);
      if (fields === END) {
        ended = true;
        break;
      }
      if (fields !== columns) throw new Error(`COPY sent ${fields} columns, not the ${columns} asked for`);
      const size = unitBytes(buffer, at);
      if (buffer.length - at < size) break;
      const row: Buffer[] = [];
      for (let field = at + 2; field < at + size;) {
        const length = buffer.readInt32BE(field);
        if (length < 0) throw new Error('COPY sent a NULL where a value was asked for');
        row.push(buffer.subarray(field + 4, field + 4 + length));
        field += 4 + length;
      }
      yield row;
      at += size;
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
