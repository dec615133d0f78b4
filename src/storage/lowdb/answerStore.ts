import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Round } from '../../content/schema.js';
import { letterCode } from '../../interview/codes.js';
import type { InterviewRecord } from '../../interview/types.js';
import { KeyedLock } from '../keyedLock.js';
import { StaleWriteError, type AnswerStore, type RoundCounters } from '../ports.js';
import { readJson, removeJson, writeJson } from './jsonFiles.js';

const SAFE = /^[A-Za-z0-9-]+$/;

function safe(part: string): string {
  if (!SAFE.test(part)) throw new Error(`unsafe name for a store file: ${JSON.stringify(part)}`);
  return part;
}

/** The answers store on lowdb: DATA_DIR/rounds/<round>/counters.json and .../interviews/<code>.json. */
export class LowdbAnswerStore implements AnswerStore {
  private readonly lock = new KeyedLock();

  constructor(private readonly dir: string) {}

  private roundDir(roundId: string): string {
    return join(this.dir, 'rounds', safe(roundId));
  }

  private interviewFile(roundId: string, code: string): string {
    return join(this.roundDir(roundId), 'interviews', `${safe(code)}.json`);
  }

  private countersFile(roundId: string): string {
    return join(this.roundDir(roundId), 'counters.json');
  }

  async counters(roundId: string): Promise<RoundCounters> {
    return (await readJson<RoundCounters>(this.countersFile(roundId))) ?? { issued: 0, declined: 0, withdrawn: 0 };
  }

  private updateCounters(roundId: string, change: (c: RoundCounters) => RoundCounters): Promise<RoundCounters> {
    return this.lock.run(this.countersFile(roundId), async () => {
      const next = change(await this.counters(roundId));
      await writeJson(this.countersFile(roundId), next);
      return next;
    });
  }

  async createInterview(roundId: string, build: (code: string) => InterviewRecord): Promise<InterviewRecord> {
    const { issued } = await this.updateCounters(roundId, (c) => ({ ...c, issued: c.issued + 1 }));
    const record = { ...build(letterCode(issued - 1)), rev: 1 };
    await this.lock.run(this.interviewFile(roundId, record.code), () => writeJson(this.interviewFile(roundId, record.code), record));
    return record;
  }

  async getInterview(roundId: string, code: string): Promise<InterviewRecord | null> {
    return readJson<InterviewRecord>(this.interviewFile(roundId, code));
  }

  saveInterview(record: InterviewRecord, expectedRev: number): Promise<void> {
    const file = this.interviewFile(record.roundId, record.code);
    return this.lock.run(file, async () => {
      const stored = await readJson<InterviewRecord>(file);
      if (!stored || stored.rev !== expectedRev) throw new StaleWriteError(record.roundId, record.code);
      await writeJson(file, record);
    });
  }

  deleteInterview(roundId: string, code: string): Promise<void> {
    const file = this.interviewFile(roundId, code);
    return this.lock.run(file, () => removeJson(file));
  }

  async countEvent(roundId: string, event: 'declined' | 'withdrawn'): Promise<void> {
    await this.updateCounters(roundId, (c) => ({ ...c, [event]: c[event] + 1 }));
  }

  async listRounds(): Promise<Round[]> {
    let names: string[];
    try {
      names = await readdir(join(this.dir, 'rounds'));
    } catch {
      return [];
    }
    const rounds = await Promise.all(names.sort().map((name) => readJson<Round>(join(this.dir, 'rounds', name, 'round.json'))));
    return rounds.filter((r): r is Round => r !== null);
  }

  async getRound(roundId: string): Promise<Round | null> {
    return readJson<Round>(join(this.roundDir(roundId), 'round.json'));
  }

  saveRound(round: Round): Promise<void> {
    const file = join(this.roundDir(round.id), 'round.json');
    return this.lock.run(file, () => writeJson(file, round));
  }

  async *listInterviews(roundId: string): AsyncIterable<InterviewRecord> {
    let names: string[];
    try {
      names = await readdir(join(this.roundDir(roundId), 'interviews'));
    } catch {
      return;
    }
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const record = await readJson<InterviewRecord>(join(this.roundDir(roundId), 'interviews', name));
      if (record) yield record;
    }
  }
}
