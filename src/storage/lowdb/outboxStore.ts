import { join } from 'node:path';
import type { OutboxJob, OutboxStore } from '../../ports/outbox.js';
import { KeyedLock } from '../../keyedLock.js';
import { OutboxJobSchema } from '../records.js';
import { StoreFiles } from './storeFiles.js';

/**
 * The outbox on lowdb, in the key store: KEY_DIR/outbox/<job id>.json, one file per job. The jobs are read once
 * and then kept in memory (this process is the store's only writer); every change is on disk before it counts.
 */
export class LowdbOutboxStore implements OutboxStore {
  private readonly lock = new KeyedLock();
  private jobs: Promise<Map<string, OutboxJob>> | null = null;
  /** The jobs this process claimed and has not finished: recover() leaves them alone, they are being sent. */
  private readonly mine = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly files = new StoreFiles(dir, 'keys'),
  ) {}

  private file(id: string): string {
    return join(this.dir, 'outbox', `${Buffer.from(id).toString('base64url')}.json`);
  }

  private known(): Promise<Map<string, OutboxJob>> {
    this.jobs ??= (async () => {
      const dir = join(this.dir, 'outbox');
      const names = (await this.files.list(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
      const jobs = await Promise.all(names.map((n) => this.files.readJson<OutboxJob>(join(dir, n), OutboxJobSchema)));
      return new Map(jobs.filter((j): j is OutboxJob => j !== null).map((j) => [j.id, j]));
    })();
    // A failed first read (the disk is unavailable) is tried again by the next call.
    this.jobs.catch(() => {
      this.jobs = null;
    });
    return this.jobs;
  }

  async enqueue(jobs: OutboxJob[]): Promise<number> {
    const known = await this.known();
    let added = 0;
    for (const job of jobs) {
      if (known.has(job.id)) continue;
      if (await this.files.createJson(this.file(job.id), job)) {
        added++;
        known.set(job.id, { ...job });
      }
    }
    return added;
  }

  async due(now: Date, limit: number): Promise<OutboxJob[]> {
    const at = now.toISOString();
    return [...(await this.known()).values()]
      .filter((j) => j.status === 'pending' && j.notBefore <= at)
      .sort((a, b) => a.notBefore.localeCompare(b.notBefore) || a.id.localeCompare(b.id))
      .slice(0, limit)
      .map((j) => ({ ...j }));
  }

  /** Writes the job's new state, then keeps it: a write that fails changes nothing here either. */
  private change(id: string, edit: (job: OutboxJob) => OutboxJob | null): Promise<OutboxJob | null> {
    return this.lock.run(id, async () => {
      const jobs = await this.known();
      const job = jobs.get(id);
      const next = job ? edit(job) : null;
      if (!next) return null;
      await this.files.writeJson(this.file(id), next);
      // As it reads back: a field set to undefined is gone.
      const stored = JSON.parse(JSON.stringify(next)) as OutboxJob;
      jobs.set(id, stored);
      return stored;
    });
  }

  async claim(id: string, now: Date): Promise<boolean> {
    const claimed = await this.change(id, (job) =>
      job.status === 'pending' ? { ...job, status: 'sending', claimedAt: now.toISOString() } : null,
    );
    if (claimed) this.mine.add(id);
    return claimed !== null;
  }

  async finish(id: string, change: Partial<OutboxJob>): Promise<void> {
    const next = await this.change(id, (job) => ({ ...job, ...change }));
    if (next && next.status !== 'sending') this.mine.delete(id);
  }

  async markStarted(id: string, now: Date): Promise<void> {
    await this.change(id, (job) => ({ ...job, startedAt: now.toISOString() }));
  }

  release(id: string): void {
    this.mine.delete(id);
  }

  /** The stores close: this process sends nothing any more, so its claims are recoverable. */
  releaseAll(): void {
    this.mine.clear();
  }

  /**
   * A job in "sending" that this process is not sending was left by a process that died (the store lock says no
   * other one runs): uncertain if its send had started, pending again if it had only been claimed.
   */
  async recover(): Promise<number> {
    const stuck = [...(await this.known()).values()].filter((j) => j.status === 'sending' && !this.mine.has(j.id));
    let uncertain = 0;
    for (const job of stuck) {
      const settled = await this.change(job.id, (current) => {
        if (current.status !== 'sending' || this.mine.has(current.id)) return null;
        return current.startedAt
          ? { ...current, status: 'uncertain', lastError: 'the sender stopped while sending' }
          : { ...current, status: 'pending', claimedAt: undefined };
      });
      if (settled?.status === 'uncertain') uncertain++;
    }
    return uncertain;
  }

  /** Deletes the jobs' files and forgets them; returns how many. */
  private async remove(jobs: OutboxJob[]): Promise<number> {
    const known = await this.known();
    for (const job of jobs) {
      await this.lock.run(job.id, async () => {
        await this.files.remove(this.file(job.id));
        known.delete(job.id);
        this.mine.delete(job.id);
      });
    }
    return jobs.length;
  }

  async removeRound(roundId: string): Promise<number> {
    return this.remove(await this.list(roundId));
  }

  /** Every job (for copying the store). */
  async all(): Promise<OutboxJob[]> {
    return [...(await this.known()).values()].map((j) => ({ ...j }));
  }

  async get(id: string): Promise<OutboxJob | null> {
    const job = (await this.known()).get(id);
    return job ? { ...job } : null;
  }

  /** The participants some job names (the key store asks before it forgets chat targets). */
  async pseudonymsWithJobs(): Promise<Set<string>> {
    return new Set([...(await this.known()).values()].map((j) => j.pseudonym).filter(Boolean));
  }

  async removeParticipant(pseudonym: string, roundId?: string): Promise<number> {
    const known = await this.known();
    return this.remove(
      [...known.values()].filter((j) => j.pseudonym === pseudonym && (roundId === undefined || j.roundId === roundId)),
    );
  }

  async list(roundId: string): Promise<OutboxJob[]> {
    return [...(await this.known()).values()]
      .filter((j) => j.roundId === roundId)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((j) => ({ ...j }));
  }
}
