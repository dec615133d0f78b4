import { performance } from 'node:perf_hooks';
import { percentile } from './percentile.js';

/** Milliseconds per call of the named steps of a run (the fan-out's claims, bookings, starts), as measured. */
export class StepTimes {
  private readonly samples = new Map<string, number[]>();

  /** Calls fn and keeps how long its promise took under `step`, whether it was kept or broken. */
  async time<T>(step: string, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      const list = this.samples.get(step) ?? [];
      list.push(performance.now() - started);
      this.samples.set(step, list);
    }
  }

  /** p50 / p95 / max per step, over these and any other StepTimes of the run together. */
  static summary(all: StepTimes[]): Record<string, { calls: number; p50: number; p95: number; max: number }> {
    const merged = new Map<string, number[]>();
    for (const times of all)
      for (const [step, list] of times.samples) merged.set(step, [...(merged.get(step) ?? []), ...list]);
    return Object.fromEntries(
      [...merged].map(([step, list]) => {
        const sorted = [...list].sort((a, b) => a - b);
        const [p50, p95] = [percentile(sorted, 50), percentile(sorted, 95)];
        return [step, { calls: sorted.length, p50, p95, max: sorted[sorted.length - 1] ?? NaN }];
      }),
    );
  }
}
