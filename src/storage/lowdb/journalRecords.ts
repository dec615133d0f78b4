import { crc32 } from 'node:zlib';

/** What a journal record does to one store file: its new content, or its removal. */
export type JournalRecord = { file: string; text: string } | { file: string; text: null };

/** The first bytes of every journal file: what it is, and which format. */
export const JOURNAL_MAGIC = Buffer.from('WIJZERJ1');

const HEADER = 8;
const PUT = 1;
const REMOVE = 2;

/**
 * One record: [payload length u32][crc32 of the payload u32][payload], the payload being [op u8][path length u16]
 * [path][content], path relative to the store folder, content UTF-8. The checksum tells a record that was only
 * partly written (a crash in the middle of an append) from one that was written whole.
 */
export function encodeRecord(record: JournalRecord): Buffer {
  // The strings are encoded straight into the record, not into buffers of their own first.
  const pathBytes = Buffer.byteLength(record.file);
  const textBytes = record.text === null ? 0 : Buffer.byteLength(record.text);
  const out = Buffer.allocUnsafe(HEADER + 3 + pathBytes + textBytes);
  out.writeUInt32LE(3 + pathBytes + textBytes, 0);
  out.writeUInt8(record.text === null ? REMOVE : PUT, HEADER);
  out.writeUInt16LE(pathBytes, HEADER + 1);
  out.write(record.file, HEADER + 3);
  if (record.text !== null) out.write(record.text, HEADER + 3 + pathBytes);
  out.writeUInt32LE(crc32(out.subarray(HEADER)), 4);
  return out;
}

/** A journal whose records cannot be trusted (not a torn tail): the reason says where. */
export class JournalCorruptError extends Error {}

export interface DecodedJournal {
  records: JournalRecord[];
  /** Bytes at the end that are not a whole record (an append a crash cut short), dropped: never acknowledged. */
  tornBytes: number;
}

/**
 * The records of one journal file, in order. An incomplete or mismatching record at the very end is a torn tail
 * (the append was never acknowledged) and is dropped; a mismatching record followed by more bytes, or a record
 * that does not decode, means the file was damaged after it was written: JournalCorruptError.
 */
export function decodeJournal(bytes: Buffer): DecodedJournal {
  if (bytes.length < JOURNAL_MAGIC.length) {
    if (JOURNAL_MAGIC.subarray(0, bytes.length).equals(bytes)) return { records: [], tornBytes: bytes.length };
    throw new JournalCorruptError('not a journal');
  }
  if (!bytes.subarray(0, JOURNAL_MAGIC.length).equals(JOURNAL_MAGIC)) throw new JournalCorruptError('not a journal');
  const records: JournalRecord[] = [];
  let offset = JOURNAL_MAGIC.length;
  while (offset < bytes.length) {
    const torn = { records, tornBytes: bytes.length - offset };
    if (bytes.length - offset < HEADER) return torn;
    const length = bytes.readUInt32LE(offset);
    const end = offset + HEADER + length;
    // Zeros where a record would start: space the file system allocated for an append that never landed.
    if (length === 0 && bytes.subarray(offset).every((byte) => byte === 0)) return torn;
    if (end > bytes.length) return torn;
    const payload = bytes.subarray(offset + HEADER, end);
    if (crc32(payload) !== bytes.readUInt32LE(offset + 4)) {
      if (end === bytes.length) return torn;
      throw new JournalCorruptError(`the record at byte ${offset} fails its checksum`);
    }
    records.push(decodePayload(payload, offset));
    offset = end;
  }
  return { records, tornBytes: 0 };
}

function decodePayload(payload: Buffer, offset: number): JournalRecord {
  const op = payload.length >= 3 ? payload.readUInt8(0) : 0;
  const pathEnd = 3 + (payload.length >= 3 ? payload.readUInt16LE(1) : 0);
  if ((op !== PUT && op !== REMOVE) || pathEnd > payload.length || pathEnd === 3)
    throw new JournalCorruptError(`the record at byte ${offset} does not decode`);
  const file = payload.toString('utf8', 3, pathEnd);
  return op === PUT ? { file, text: payload.toString('utf8', pathEnd) } : { file, text: null };
}
