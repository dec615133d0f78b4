import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Round } from '../../content/schema.js';
import { letterCode } from '../../interview/codes.js';
import type { InterviewRecord } from '../../interview/types.js';
import { KeyedLock } from '../keyedLock.js';
import { StaleWriteError, type AnswerStore, type DigestLogEntry, type RoundCounters } from '../ports.js';
import { readJson, removeJson, writeJson, writeJsonCoalesced } from './jsonFiles.js';

const SAFE = /^[A-Za-z0-9-]+$/;

function safe(part: string): string {
  if (!SAFE.test(part)) throw new Error(`unsafe name for a store file: ${JSON.stringify(part)}`);
  return part;
}

/**
 * The answers store on lowdb: DATA_DIR/rounds/<round>/counters.json and .../interviews/<code>.json.
 * lowdb serves one process, which is the only writer: so it may keep the counters, the rounds and the
 * revision of each interview in memory, and a turn costs one read and one write of its own small file.
 */
export class LowdbAnswerStore implements AnswerStore {
  private readonly lock = new KeyedLock();
  private readonly counterCache = new Map<string, RoundCounters>();
  private readonly revs = new Map<string, number>();
  private rounds: Map<string, Round> | null = null;

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
    const cached = this.counterCache.get(roundId);
    if (cached) return cached;
    const stored = (await readJson<RoundCounters>(this.countersFile(roundId))) ?? { issued: 0, declined: 0, withdrawn: 0 };
    return this.counterCache.get(roundId) ?? stored;
  }

  /**
   * The counters change in memory at once, so that many consents at the same moment do not queue behind each
   * other's disk writes; lowdb's writer coalesces the writes, and each caller waits until a version at least as
   * new as its own is on disk before it goes on (a code is never used before it is durable).
   */
  private async updateCounters(roundId: string, change: (c: RoundCounters) => RoundCounters): Promise<RoundCounters> {
    if (!this.counterCache.has(roundId)) {
      const loaded = await this.counters(roundId);
      if (!this.counterCache.has(roundId)) this.counterCache.set(roundId, loaded);
    }
    const next = change(this.counterCache.get(roundId)!);
    this.counterCache.set(roundId, next);
    await writeJsonCoalesced(this.countersFile(roundId), next);
    return next;
  }

  async createInterview(roundId: string, build: (code: string) => InterviewRecord): Promise<InterviewRecord> {
    const { issued } = await this.updateCounters(roundId, (c) => ({ ...c, issued: c.issued + 1 }));
    const record = { ...build(letterCode(issued - 1)), rev: 1 };
    const file = this.interviewFile(roundId, record.code);
    await this.lock.run(file, async () => {
      await writeJson(file, record);
      this.revs.set(file, record.rev);
    });
    return record;
  }

  async getInterview(roundId: string, code: string): Promise<InterviewRecord | null> {
    return readJson<InterviewRecord>(this.interviewFile(roundId, code));
  }

  private async storedRev(file: string): Promise<number | null> {
    const known = this.revs.get(file);
    if (known !== undefined) return known;
    return (await readJson<InterviewRecord>(file))?.rev ?? null;
  }

  saveInterview(record: InterviewRecord, expectedRev: number): Promise<void> {
    const file = this.interviewFile(record.roundId, record.code);
    return this.lock.run(file, async () => {
      if ((await this.storedRev(file)) !== expectedRev) throw new StaleWriteError(record.roundId, record.code);
      await writeJson(file, record);
      this.revs.set(file, record.rev);
    });
  }

  deleteInterview(roundId: string, code: string): Promise<void> {
    const file = this.interviewFile(roundId, code);
    return this.lock.run(file, async () => {
      await removeJson(file);
      this.revs.delete(file);
    });
  }

  async countEvent(roundId: string, event: 'declined' | 'withdrawn'): Promise<void> {
    await this.updateCounters(roundId, (c) => ({ ...c, [event]: c[event] + 1 }));
  }

  private async roundMap(): Promise<Map<string, Round>> {
    if (this.rounds) return this.rounds;
    let names: string[] = [];
    try {
      names = await readdir(join(this.dir, 'rounds'));
    } catch {
      // No rounds yet.
    }
    const rounds = await Promise.all(names.sort().map((name) => readJson<Round>(join(this.dir, 'rounds', name, 'round.json'))));
    this.rounds ??= new Map(rounds.filter((r): r is Round => r !== null).map((r) => [r.id, r]));
    return this.rounds;
  }

  async listRounds(): Promise<Round[]> {
    return [...(await this.roundMap()).values()];
  }

  async getRound(roundId: string): Promise<Round | null> {
    safe(roundId);
    return (await this.roundMap()).get(roundId) ?? null;
  }

  saveRound(round: Round): Promise<void> {
    const file = join(this.roundDir(round.id), 'round.json');
    return this.lock.run(file, async () => {
      await writeJson(file, round);
      (await this.roundMap()).set(round.id, round);
    });
  }

  async digestLog(roundId: string): Promise<DigestLogEntry[]> {
    return (await readJson<DigestLogEntry[]>(join(this.roundDir(roundId), 'digests.json'))) ?? [];
  }

  appendDigestLog(roundId: string, entry: DigestLogEntry): Promise<void> {
    const file = join(this.roundDir(roundId), 'digests.json');
    return this.lock.run(file, async () => writeJson(file, [...((await readJson<DigestLogEntry[]>(file)) ?? []), entry]));
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

  async completedCodes(roundId: string): Promise<string[]> {
    const codes: string[] = [];
    for await (const record of this.listInterviews(roundId)) if (record.completedAt) codes.push(record.code);
    return codes;
  }

  async *interviewsByCode(roundId: string, codes: string[]): AsyncIterable<InterviewRecord> {
    for (const code of codes) {
      const record = await this.getInterview(roundId, code);
      if (record) yield record;
    }
  }
}
