import { join } from 'node:path';
import type { Round } from '../../content/schema.js';
import { letterCode } from '../../interview/codes.js';
import type { InterviewRecord } from '../../interview/types.js';
import { KeyedLock } from '../../keyedLock.js';
import { StaleWriteError, type AnswerStore, type DigestLogEntry, type RoundCounters } from '../../ports/stores.js';
import { DigestLogSchema, InterviewRecordSchema, RoundCountersSchema, RoundSchema } from '../records.js';
import { CoalescedWriter } from './coalescedWriter.js';
import { ReadCache } from './readCache.js';
import { StoreFiles } from './storeFiles.js';

const SAFE = /^[A-Za-z0-9-]+$/;

interface StoredInterview {
  rev: number;
  text: string;
}

const held = (record: InterviewRecord, text = JSON.stringify(record)): StoredInterview => ({ rev: record.rev, text });
const parsed = (stored: StoredInterview): InterviewRecord => JSON.parse(stored.text) as InterviewRecord;

function safe(part: string): string {
  if (!SAFE.test(part)) throw new Error(`unsafe name for a store file: ${JSON.stringify(part)}`);
  return part;
}

/** Interviews kept in memory: those of the participants active lately, not a whole 60,000-interview round. */
const CACHED_INTERVIEWS = 10_000;

/**
 * The answers store on lowdb: DATA_DIR/rounds/<round>/counters.json and .../interviews/<code>.json.
 * One process holds the folder (the store lock), so what it has read or written stays true: it keeps the
 * counters, the rounds and the recently used interviews in memory, and a turn costs one durable write of its
 * own small file and no read. Every write a participant is told about (their answer, their code) is on disk
 * before the call returns; nothing is written that did not change.
 */
export class LowdbAnswerStore implements AnswerStore {
  private readonly lock = new KeyedLock();
  private readonly counterCache = new Map<string, RoundCounters>();
  private readonly counterWriters = new Map<string, CoalescedWriter<RoundCounters>>();
  /**
   * By file: the stored record as JSON text with its revision, or null for a file known not to exist. Text, not
   * the object: every read parses its own copy (what a caller changes is not what is stored until it is saved),
   * which costs less than cloning an object, and one string per interview is all the garbage collector has to keep.
   */
  private readonly records = new ReadCache<StoredInterview | null>(CACHED_INTERVIEWS);
  private rounds: Map<string, Round> | null = null;

  constructor(
    private readonly dir: string,
    private readonly files = new StoreFiles(dir, 'answers'),
  ) {}

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
    const stored = (await this.files.readJson<RoundCounters>(this.countersFile(roundId), RoundCountersSchema)) ?? {
      issued: 0,
      declined: 0,
      withdrawn: 0,
    };
    if (!this.counterCache.has(roundId)) this.counterCache.set(roundId, stored);
    return this.counterCache.get(roundId)!;
  }

  /**
   * The counters change in memory at once, so that many consents at the same moment do not queue behind each
   * other's disk writes; the writes are coalesced, and `durable` settles when a version at least as new as this one
   * is on disk: a caller goes on only after it (a code is never used before it is durable). A failed write leaves a
   * number unused, never one used twice: the interview file is created exclusively.
   */
  private async updateCounters(
    roundId: string,
    change: (c: RoundCounters) => RoundCounters,
  ): Promise<{ counters: RoundCounters; durable: Promise<void> }> {
    const next = change(await this.counters(roundId));
    this.counterCache.set(roundId, next);
    let writer = this.counterWriters.get(roundId);
    if (!writer) {
      const file = this.countersFile(roundId);
      writer = new CoalescedWriter(async (data) => void (await this.files.writeJson(file, data)));
      this.counterWriters.set(roundId, writer);
    }
    const durable = writer.write(next);
    // The caller hears of a failure when it awaits this, maybe after other work: never as an unhandled rejection.
    durable.catch(() => undefined);
    return { counters: next, durable };
  }

  /**
   * The interview file is created while the counters' write is on its way: two durable writes at the same time,
   * not one after the other, and the call returns only when both are on disk. No code is handed out twice, even
   * after a crash between the two: the code reaches no one before both are durable; if only the interview file
   * made it, the counters come back one behind and the next consent finds the file under that code and takes the
   * next one (as after counters restored from an older copy); if only the counters made it, the number stays unused.
   */
  async createInterview(roundId: string, build: (code: string) => InterviewRecord): Promise<InterviewRecord> {
    for (;;) {
      const { counters, durable } = await this.updateCounters(roundId, (c) => ({ ...c, issued: c.issued + 1 }));
      const record = { ...build(letterCode(counters.issued - 1)), rev: 1 };
      const file = this.interviewFile(roundId, record.code);
      const [created, counted] = await Promise.allSettled([this.files.createJson(file, record), durable]);
      if (created.status === 'rejected') throw created.reason;
      if (created.value) this.records.set(file, held(record));
      // The file is there but its number may come back after a restart: the code goes to no one (see above).
      if (counted.status === 'rejected') throw counted.reason;
      // A file under this code already (counters restored from an older copy): the code goes to no one else.
      if (created.value) return record;
    }
  }

  private async stored(file: string): Promise<StoredInterview | null> {
    return this.records.get(file, async () => {
      const record = await this.files.readJson<InterviewRecord>(file, InterviewRecordSchema);
      return record && held(record);
    });
  }

  async getInterview(roundId: string, code: string): Promise<InterviewRecord | null> {
    const stored = await this.stored(this.interviewFile(roundId, code));
    return stored && parsed(stored);
  }

  saveInterview(record: InterviewRecord, expectedRev: number): Promise<void> {
    const file = this.interviewFile(record.roundId, record.code);
    return this.lock.run(file, async () => {
      if ((await this.stored(file))?.rev !== expectedRev) throw new StaleWriteError(record.roundId, record.code);
      // The text written is what is kept: a later change to the caller's object changes nothing stored.
      this.records.set(file, held(record, await this.files.writeJson(file, record)));
    });
  }

  deleteInterview(roundId: string, code: string): Promise<void> {
    const file = this.interviewFile(roundId, code);
    return this.lock.run(file, async () => {
      await this.files.remove(file);
      this.records.set(file, null);
    });
  }

  async countEvent(roundId: string, event: 'declined' | 'withdrawn'): Promise<void> {
    const { durable } = await this.updateCounters(roundId, (c) => ({ ...c, [event]: c[event] + 1 }));
    await durable;
  }

  private async roundMap(): Promise<Map<string, Round>> {
    if (this.rounds) return this.rounds;
    const names = await this.files.list(join(this.dir, 'rounds'));
    const rounds = await Promise.all(
      names
        .filter((n) => SAFE.test(n))
        .sort()
        .map((name) => this.files.readJson<Round>(join(this.dir, 'rounds', name, 'round.json'), RoundSchema)),
    );
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
      await this.files.writeJson(file, round);
      (await this.roundMap()).set(round.id, round);
    });
  }

  async digestLog(roundId: string): Promise<DigestLogEntry[]> {
    return (
      (await this.files.readJson<DigestLogEntry[]>(join(this.roundDir(roundId), 'digests.json'), DigestLogSchema)) ?? []
    );
  }

  appendDigestLog(roundId: string, entry: DigestLogEntry): Promise<void> {
    const file = join(this.roundDir(roundId), 'digests.json');
    return this.lock.run(
      file,
      async () => void (await this.files.writeJson(file, [...(await this.digestLog(roundId)), entry])),
    );
  }

  /** Streams from disk (what a turn has in memory is the same): an export does not fill the memory. */
  async *listInterviews(roundId: string): AsyncIterable<InterviewRecord> {
    const dir = join(this.roundDir(roundId), 'interviews');
    for (const name of (await this.files.list(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
      const file = join(dir, name);
      const kept = this.records.peek(file);
      const record = kept
        ? kept.value && parsed(kept.value)
        : await this.files.readJson<InterviewRecord>(file, InterviewRecordSchema);
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
