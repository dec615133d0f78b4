import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutboxJob, OutboxStore } from '../../research/outbox/types.js';
import { KeyedLock } from '../keyedLock.js';
import { readJson, removeJson, writeJson } from './jsonFiles.js';

/** The outbox on lowdb, in the key store: KEY_DIR/outbox/<job id>.json, one file per job. */
export class LowdbOutboxStore implements OutboxStore {
  private readonly lock = new KeyedLock();

  constructor(private readonly dir: string) {}

  private file(id: string): string {
    return join(this.dir, 'outbox', `${Buffer.from(id).toString('base64url')}.json`);
  }

  private async all(): Promise<OutboxJob[]> {
    let names: string[];
    try {
      names = await readdir(join(this.dir, 'outbox'));
    } catch {
      return [];
    }
    const jobs = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => readJson<OutboxJob>(join(this.dir, 'outbox', n))));
    return jobs.filter((j): j is OutboxJob => j !== null);
  }

  async enqueue(jobs: OutboxJob[]): Promise<number> {
    let added = 0;
    for (const job of jobs) {
      const file = this.file(job.id);
      await this.lock.run(file, async () => {
        if (await readJson<OutboxJob>(file)) return;
        await writeJson(file, job);
        added++;
      });
    }
    return added;
  }

  async due(now: Date, limit: number): Promise<OutboxJob[]> {
    const at = now.toISOString();
    return (await this.all())
      .filter((j) => j.status === 'pending' && j.notBefore <= at)
      .sort((a, b) => a.notBefore.localeCompare(b.notBefore) || a.id.localeCompare(b.id))
      .slice(0, limit);
  }

  claim(id: string, now: Date): Promise<boolean> {
    const file = this.file(id);
    return this.lock.run(file, async () => {
      const job = await readJson<OutboxJob>(file);
      if (job?.status !== 'pending') return false;
      await writeJson(file, { ...job, status: 'sending', claimedAt: now.toISOString() });
      return true;
    });
  }

  finish(id: string, change: Partial<OutboxJob>): Promise<void> {
    const file = this.file(id);
    return this.lock.run(file, async () => {
      const job = await readJson<OutboxJob>(file);
      if (job) await writeJson(file, { ...job, ...change });
    });
  }

  markStarted(id: string, now: Date): Promise<void> {
    return this.finish(id, { startedAt: now.toISOString() });
  }

  async recover(): Promise<number> {
    const stuck = (await this.all()).filter((j) => j.status === 'sending');
    for (const job of stuck) {
      await this.finish(job.id, job.startedAt
        ? { status: 'uncertain', lastError: 'the sender stopped while sending' }
        : { status: 'pending', claimedAt: undefined });
    }
    return stuck.filter((j) => j.startedAt).length;
  }

  async removeRound(roundId: string): Promise<number> {
    const jobs = await this.list(roundId);
    for (const job of jobs) await this.lock.run(this.file(job.id), () => removeJson(this.file(job.id)));
    return jobs.length;
  }

  get(id: string): Promise<OutboxJob | null> {
    return readJson<OutboxJob>(this.file(id));
  }

  /** The participants some job names (the key store asks before it forgets chat targets). */
  async pseudonymsWithJobs(): Promise<Set<string>> {
    return new Set((await this.all()).map((j) => j.pseudonym).filter(Boolean));
  }

  async removeParticipant(pseudonym: string, roundId?: string): Promise<number> {
    const jobs = (await this.all()).filter((j) => j.pseudonym === pseudonym && (roundId === undefined || j.roundId === roundId));
    for (const job of jobs) await this.lock.run(this.file(job.id), () => removeJson(this.file(job.id)));
    return jobs.length;
  }

  async list(roundId: string): Promise<OutboxJob[]> {
    return (await this.all()).filter((j) => j.roundId === roundId).sort((a, b) => a.id.localeCompare(b.id));
  }
}
