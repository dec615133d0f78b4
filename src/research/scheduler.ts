import { queueDueDigests } from './digestQueue.js';
import { log } from '../log.js';
import type { Stores } from '../ports/stores.js';
import type { Outbox } from './outbox/outbox.js';
import { queueDueReminders } from './reminders.js';
import { keyHousekeeping } from './retention.js';

/** One job of the bot's clock: reminders, digests, the outbox, retention. */
export interface ScheduledStep {
  name: string;
  run(now: Date): Promise<void>;
}

/**
 * The clock of the research side. Every tick runs each step once, in order, each on its own: a step that throws
 * (a store that fails, a bad file) is logged and the next steps still run; the failed one runs again on the next
 * tick. A tick never rejects and never overlaps the previous one; `tick()` and `idle()` let tests wait for it.
 */
export class Scheduler {
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly steps: ScheduledStep[],
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Ticks now and every `intervalMs`; the timer does not keep the process alive. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
    void this.tick();
  }

  /** Runs all steps once; joins a tick already under way instead of starting a second. */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Resolves when no tick is running. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** No further ticks; waits for the one under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.idle();
  }

  private async pass(): Promise<void> {
    for (const step of this.steps) {
      if (this.stopped) return;
      try {
        await step.run(this.clock());
      } catch (err) {
        log.error('scheduler.step.failed', err, { step: step.name });
      }
    }
  }
}

const SWEEP_EVERY_MS = 3_600_000;

/** The bot's steps, in the order a tick runs them. */
export function researchSteps(stores: Stores, outbox: Outbox): ScheduledStep[] {
  let lastSweep = -Infinity;
  return [
    {
      // With several instances, jobs of an instance that died are settled here (after their claim lease).
      name: 'outbox.recover',
      run: async () => {
        const uncertain = await stores.outbox.recover();
        if (uncertain) log.info('outbox.recovered', { uncertain });
      },
    },
    {
      // Retention first, so nothing is queued for keys that are due to go; interrupted withdrawals and orphan
      // chat targets are swept hourly (and at start-up).
      name: 'retention',
      run: async (now) => {
        const sweep = now.getTime() - lastSweep >= SWEEP_EVERY_MS;
        if (sweep) lastSweep = now.getTime();
        await keyHousekeeping(stores, now, sweep);
      },
    },
    { name: 'reminders', run: async (now) => void (await queueDueReminders(stores, outbox, now)) },
    { name: 'digests', run: async (now) => void (await queueDueDigests(stores, outbox, now)) },
    { name: 'outbox.drain', run: async () => void (await outbox.drain()) },
  ];
}
