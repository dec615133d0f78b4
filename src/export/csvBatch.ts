import type { Deck, Guide, Round } from '../content/schema.js';
import type { CsvOptions } from './csv.js';

/** What a CSV worker thread is started with: the round's content and the files' options. */
export interface CsvWorkerData {
  round: Round;
  guide: Guide;
  deck: Deck;
  options: CsvOptions;
}

/**
 * Records for a worker: their JSON (or export cells) one after another in `texts` (record i ends at ends[i]), each
 * with its code and R number; and spare buffers, lines of earlier batches already written, for the worker to fill
 * again.
 */
export interface CsvBatch {
  id: number;
  texts: Uint8Array;
  ends: Uint32Array;
  codes: string[];
  /** Each record's index in the R order (its R code: participantAt). */
  numbers: Uint32Array;
  /** 1 where record i's bytes are its export cells (src/export/cells.ts), not its JSON. */
  cells: Uint8Array;
  spares: ArrayBuffer[];
}

/**
 * A batch's lines: sorts and answers to append, a background line a record (record i's ends at backgroundEnds[i]),
 * and the batch's texts buffer given back for a later batch.
 */
export interface CsvBatchLines {
  id: number;
  sorts: Uint8Array;
  answers: Uint8Array;
  background: Uint8Array;
  backgroundEnds: Uint32Array;
  texts: ArrayBuffer;
}

/** A batch that could not be written: the error's message, and whether it is an ExportError (a refused record). */
export interface CsvBatchFailure {
  id: number;
  error: string;
  exportError: boolean;
}

/** The bytes of a view handed between threads, as a Buffer over the same memory (not copied). */
export const bytesOf = (a: Uint8Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Lines a worker writes before its batches are full: a batch's lines fit, so its buffers are filled again as they are. */
export const CSV_WORKER_LINE_BYTES = 1024 * 1024;
