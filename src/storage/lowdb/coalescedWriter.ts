/**
 * Writes what many turns change at once (a round's counters, a folder's fsync): one write at a time, and a write
 * that is overtaken by a newer version before it starts is skipped. Each caller's promise settles when a version at
 * least as new as its own is on disk, or with the error of the write that should have carried it.
 */
export class CoalescedWriter<T> {
  private writing = false;
  private next: { data: T; waiters: { resolve: () => void; reject: (err: unknown) => void }[] } | null = null;

  constructor(private readonly writeOnce: (data: T) => Promise<void>) {}

  write(data: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.next ??= { data, waiters: [] };
      this.next.data = data;
      this.next.waiters.push({ resolve, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.writing || !this.next) return;
    const batch = this.next;
    this.next = null;
    this.writing = true;
    try {
      await this.writeOnce(batch.data);
      for (const w of batch.waiters) w.resolve();
    } catch (err) {
      for (const w of batch.waiters) w.reject(err);
    } finally {
      this.writing = false;
      void this.pump();
    }
  }
}
