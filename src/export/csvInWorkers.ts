import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { defined } from '../defined.js';
import { bytesOf, type CsvBatch, type CsvBatchFailure, type CsvBatchLines, type CsvWorkerData } from './csvBatch.js';
import { csvTables, writeLastFiles, type CsvOptions } from './csv.js';
import { ExportError } from './errors.js';
import type { Sink } from './file.js';
import { letterRank, numberWalk, type ExportPlan } from './plan.js';
import { RowsByRank } from './rowsByRank.js';

const WORKER = new URL('./csvWorker.js', import.meta.url);
/** JSON bytes of the records a batch holds before it goes to a worker (some fifty interviews). */
const BATCH_TEXT_BYTES = 256 * 1024;
/** Batches in flight a worker: one it works on, one waiting, so that it never waits for this thread. */
const IN_FLIGHT_PER_WORKER = 2;

/**
 * How many worker threads a CSV export of a store that hands out JSON text uses: one a core, at most four (on two
 * cores, two workers wrote 60,000 interviews in 1.8 s, one in 2.0, this thread alone in 2.1). None on one core, or
 * where the worker's compiled file is missing (the TypeScript sources run by the tests): the export is then
 * written in this thread, by writeCsvFiles.
 */
export function csvWorkerCount(): number {
  const cores = availableParallelism();
  return cores > 1 && existsSync(fileURLToPath(WORKER)) ? Math.min(4, cores) : 0;
}

type Waiter = { resolve: (lines: CsvBatchLines) => void; reject: (e: Error) => void };

/** Worker threads that each answer the batches they are sent, in the order sent. */
class CsvWorkers {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, Waiter>();
  private failure: Error | null = null;

  constructor(count: number, data: CsvWorkerData) {
    this.workers = Array.from({ length: count }, () => {
      const worker = new Worker(WORKER, { workerData: data });
      worker.on('message', (answer: CsvBatchLines | CsvBatchFailure) => this.settle(answer));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => this.fail(new Error(`a CSV export worker stopped (exit code ${code})`)));
      return worker;
    });
  }

  private settle(answer: CsvBatchLines | CsvBatchFailure): void {
    const waiter = this.waiting.get(answer.id);
    this.waiting.delete(answer.id);
    if ('error' in answer) waiter?.reject(answer.exportError ? new ExportError(answer.error) : new Error(answer.error));
    else waiter?.resolve(answer);
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const waiter of this.waiting.values()) waiter.reject(err);
    this.waiting.clear();
  }

  /** The batch's lines. Its buffers are handed to the worker (not copied): unusable here afterwards. */
  lines(batch: CsvBatch): Promise<CsvBatchLines> {
    if (this.failure) return Promise.reject(this.failure);
    const worker = defined(this.workers[batch.id % this.workers.length], 'worker of a batch');
    const answered = new Promise<CsvBatchLines>((resolve, reject) => this.waiting.set(batch.id, { resolve, reject }));
    worker.postMessage(batch, [batch.texts.buffer as ArrayBuffer, batch.ends.buffer as ArrayBuffer, ...batch.spares]);
    return answered;
  }

  async close(): Promise<void> {
    for (const worker of this.workers) worker.removeAllListeners('exit');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Records read, their JSON copied one after another into a buffer that batches use in turn. */
class PendingBatch {
  private texts: Uint8Array;
  private at = 0;
  private ends: number[] = [];
  private codes: string[] = [];
  /** Each record's index in the R order: the worker names it participantAt(index). */
  private numbers: number[] = [];
  private ranks: number[] = [];
  /** 1 where the text is the interview's export cells, not its JSON. */
  private cells: number[] = [];
  /** Texts buffers the workers gave back. */
  private readonly free: ArrayBuffer[] = [];

  constructor() {
    this.texts = this.fresh();
  }

  private fresh(): Uint8Array {
    const reused = this.free.pop();
    return reused ? new Uint8Array(reused) : new Uint8Array(2 * BATCH_TEXT_BYTES);
  }

  get full(): boolean {
    return this.at >= BATCH_TEXT_BYTES;
  }

  get empty(): boolean {
    return this.codes.length === 0;
  }

  add(text: Uint8Array, code: string, number: number, rank: number, cells: boolean): void {
    if (this.at + text.length > this.texts.length) {
      // A record longer than the room left: a bigger buffer, this once.
      const grown = new Uint8Array(Math.max(2 * this.texts.length, this.at + text.length));
      grown.set(this.texts.subarray(0, this.at));
      this.texts = grown;
    }
    this.texts.set(text, this.at);
    this.at += text.length;
    this.ends.push(this.at);
    this.codes.push(code);
    this.numbers.push(number);
    this.ranks.push(rank);
    this.cells.push(cells ? 1 : 0);
  }

  giveBack(texts: ArrayBuffer): void {
    if (texts.byteLength === 2 * BATCH_TEXT_BYTES) this.free.push(texts);
  }

  take(id: number, spares: ArrayBuffer[]): { batch: CsvBatch; ranks: number[] } {
    const batch: CsvBatch = {
      id,
      texts: this.texts.subarray(0, this.at),
      ends: Uint32Array.from(this.ends),
      codes: this.codes,
      numbers: Uint32Array.from(this.numbers),
      cells: Uint8Array.from(this.cells),
      spares,
    };
    const taken = { batch, ranks: this.ranks };
    this.texts = this.fresh();
    this.at = 0;
    this.ends = [];
    this.codes = [];
    this.numbers = [];
    this.ranks = [];
    this.cells = [];
    return taken;
  }
}

/**
 * writeCsvFiles with the records parsed and their lines written by worker threads: this thread reads the store's
 * JSON texts in R order, sends them on in batches, and writes the lines each batch comes back with, in the order
 * sent. The same bytes as writeCsvFiles (test/export/csvInWorkers.test.ts compares them); memory holds a few
 * batches a worker, whatever the number of interviews, and their buffers go round instead of being made anew.
 */
export async function writeCsvFilesInWorkers(
  plan: ExportPlan,
  options: CsvOptions,
  open: (name: string) => Sink,
  workerCount: number,
): Promise<void> {
  const texts = plan.texts;
  if (!texts) throw new Error('internal error: writeCsvFilesInWorkers needs a store that hands out JSON text');
  const t = csvTables(plan, options);
  const workers = new CsvWorkers(workerCount, { round: plan.round, guide: plan.guide, deck: plan.deck, options });
  try {
    const background = new RowsByRank(plan.letters.length);
    const sorts = open(t.sorts.name);
    const answers = open(t.answers.name);
    await Promise.all([sorts.write(Buffer.from(t.sorts.head)), answers.write(Buffer.from(t.answers.head))]);
    const pending = new PendingBatch();
    const inFlight: { lines: Promise<CsvBatchLines>; ranks: number[] }[] = [];
    /** Line buffers written, to go back to a worker with the next batch. */
    let spares: ArrayBuffer[] = [];
    let nextId = 0;
    const send = () => {
      const { batch, ranks } = pending.take(nextId++, spares);
      spares = [];
      const lines = workers.lines(batch);
      // Awaited in its turn by writeNext; a failure before then is not left unhandled.
      lines.catch(() => undefined);
      inFlight.push({ lines, ranks });
    };
    const writeNext = async () => {
      const { lines, ranks } = defined(inFlight.shift(), 'a batch in flight');
      const done = await lines;
      const lineBytes = bytesOf(done.background);
      ranks.forEach((rank, i) => {
        const start = i === 0 ? 0 : (done.backgroundEnds[i - 1] ?? 0);
        background.add(rank, (batch) => batch.bytes(lineBytes.subarray(start, done.backgroundEnds[i])));
      });
      await Promise.all([sorts.write(bytesOf(done.sorts)), answers.write(bytesOf(done.answers))]);
      pending.giveBack(done.texts);
      spares.push(
        done.sorts.buffer as ArrayBuffer,
        done.answers.buffer as ArrayBuffer,
        done.background.buffer as ArrayBuffer,
      );
    };
    const indexOf = numberWalk(plan);
    for await (const { code, text, cells } of texts(plan.numbered)) {
      pending.add(text, code, indexOf(code), letterRank(plan, code), cells === true);
      if (!pending.full) continue;
      send();
      if (inFlight.length >= IN_FLIGHT_PER_WORKER * workerCount) await writeNext();
    }
    if (!pending.empty) send();
    while (inFlight.length) await writeNext();
    await Promise.all([sorts.end(), answers.end()]);
    await writeLastFiles(t, background, options, open);
  } finally {
    await workers.close();
  }
}
