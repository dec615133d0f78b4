/**
 * A worker thread of the CSV export (csvInWorkers.ts): parses and checks the records of each batch it is sent (or
 * reads their export cells) and writes their lines as writeCsvFiles does in one thread, then sends the bytes back,
 * not copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ByteBatch } from './byteBatch.js';
import {
  bytesOf,
  CSV_WORKER_LINE_BYTES,
  type CsvBatch,
  type CsvBatchFailure,
  type CsvBatchLines,
  type CsvWorkerData,
} from './csvBatch.js';
import { participantAt } from './codes.js';
import { csvTables, writeStored } from './csv.js';
import { ExportError } from './errors.js';
import { recordContext } from './model.js';

const { round, guide, deck, options } = workerData as CsvWorkerData;
const ctx = recordContext({ round, guide, deck });
const t = csvTables(ctx, options);
const sorts = new ByteBatch(CSV_WORKER_LINE_BYTES);
const answers = new ByteBatch(CSV_WORKER_LINE_BYTES);
const background = new ByteBatch(CSV_WORKER_LINE_BYTES);

function format(batch: CsvBatch): CsvBatchLines {
  // The buffers of lines already written come back to be filled again, instead of new ones: no churn of megabytes.
  [sorts, answers, background].forEach((lines, i) => {
    const spare = batch.spares[i];
    if (spare) lines.reuse(Buffer.from(spare));
  });
  const texts = bytesOf(batch.texts);
  const backgroundEnds = new Uint32Array(batch.codes.length);
  let start = 0;
  for (let i = 0; i < batch.codes.length; i++) {
    const end = batch.ends[i]!;
    const code = batch.codes[i]!;
    const participant = participantAt(batch.numbers[i]!);
    const text = texts.subarray(start, end);
    writeStored(
      t,
      ctx,
      { background, sorts, answers },
      batch.cells[i] ? { code, text, cells: true } : { code, text },
      participant,
    );
    start = end;
    backgroundEnds[i] = background.length;
  }
  return {
    id: batch.id,
    sorts: sorts.take(),
    answers: answers.take(),
    background: background.take(),
    backgroundEnds,
    texts: batch.texts.buffer as ArrayBuffer,
  };
}

parentPort!.on('message', (batch: CsvBatch) => {
  let lines: CsvBatchLines;
  try {
    lines = format(batch);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    const failure: CsvBatchFailure = { id: batch.id, error, exportError: err instanceof ExportError };
    parentPort!.postMessage(failure);
    return;
  }
  // Handed over, not copied: each is a buffer of its own (ByteBatch's, and the batch's texts), none from a pool.
  const buffers = [lines.sorts, lines.answers, lines.background, lines.backgroundEnds].map(
    (bytes) => bytes.buffer as ArrayBuffer,
  );
  parentPort!.postMessage(lines, [...buffers, lines.texts]);
});
