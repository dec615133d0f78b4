import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { seededRandom } from '../../src/analysis/random.js';
import type { InterviewRecord } from '../../src/interview/types.js';
import { percentile } from '../support/percentile.js';
import { ROUND } from './constants.js';
import type { Options } from './options.js';
import { defined } from '../../src/defined.js';

/**
 * Phase c: times saveInterview (with its revision check) of random stored interviews in two stores of one round
 * each: one filled with 1,000 copies of a real record, one with 60,000. The two are timed in alternating blocks,
 * so that JIT warm-up, the page cache and other work on the machine weigh on both alike.
 */

export interface SaveResult {
  stored: number;
  medianMs: number;
  p95Ms: number;
  populateMs: number;
  recordBytes: number;
}

const WARMUP_SAVES = 50;
const BLOCK = 25;

export async function phaseSaves(options: Options, tmp: string, record: InterviewRecord): Promise<SaveResult[]> {
  const { LowdbAnswerStore } = await import('../../src/storage/lowdb/answerStore.js');
  const { letterCode } = await import('../../src/interview/codes.js');
  const base: InterviewRecord = { ...record, roundId: ROUND };
  const random = seededRandom(42);

  const stores = [options.small, options.large].map((size) => {
    const dataDir = join(tmp, `save-${size}`);
    const interviewsDir = join(dataDir, 'rounds', ROUND, 'interviews');
    mkdirSync(interviewsDir, { recursive: true });
    const started = performance.now();
    for (let i = 0; i < size; i++) {
      // lowdb's JSONFile writes JSON.stringify(data, null, 2): the same bytes the bot leaves.
      const stored = JSON.stringify({ ...base, code: letterCode(i), rev: 5 }, null, 2);
      writeFileSync(join(interviewsDir, `${letterCode(i)}.json`), stored);
    }
    const counters = JSON.stringify({ issued: size, declined: 0, withdrawn: 0 }, null, 2);
    writeFileSync(join(dataDir, 'rounds', ROUND, 'counters.json'), counters);
    const store = new LowdbAnswerStore(dataDir);
    const populateMs = performance.now() - started;
    return { size, store, revs: new Array<number>(size).fill(5), samples: [] as number[], populateMs };
  });

  const save = async (target: (typeof stores)[number]): Promise<number> => {
    const index = Math.floor(random() * target.size);
    const rev = defined(target.revs[index], 'rev of a stored interview');
    const lastSubmit = `{"bench":${rev + 1}}`;
    const next: InterviewRecord = { ...base, code: letterCode(index), rev: rev + 1, lastSubmit };
    const started = performance.now();
    await target.store.saveInterview(next, rev);
    const ms = performance.now() - started;
    target.revs[index] = rev + 1;
    return ms;
  };

  for (let i = 0; i < WARMUP_SAVES; i++) for (const target of stores) await save(target);
  while (stores.some((t) => t.samples.length < options.saves)) {
    for (const target of stores) {
      for (let i = 0; i < BLOCK && target.samples.length < options.saves; i++) target.samples.push(await save(target));
    }
  }
  for (const target of stores) {
    const stored = await target.store.getInterview(ROUND, letterCode(0));
    if (!stored || stored.rev !== target.revs[0]) {
      throw new Error('saveInterview did not leave the expected revision in the store');
    }
  }
  const recordBytes = Buffer.byteLength(JSON.stringify(base, null, 2));
  return stores.map((t) => {
    const sorted = [...t.samples].sort((a, b) => a - b);
    const medianMs = percentile(sorted, 50);
    return { stored: t.size, medianMs, p95Ms: percentile(sorted, 95), populateMs: t.populateMs, recordBytes };
  });
}
