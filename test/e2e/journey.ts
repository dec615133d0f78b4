import { it } from '@jest/globals';

/**
 * The steps of one end-to-end journey, each a test that builds on what the steps before it left. The first step
 * that fails reports its own cause; every step after it fails at once, naming that step, rather than fail again
 * for reasons that are only its consequences. None is skipped: a failed journey shows every step as failed.
 */
export class Journey {
  private firstFailure: string | null = null;

  constructor(private readonly stepTimeoutMs: number) {}

  /** Whether a step (or the set-up, see `setUp`) failed: the suite then keeps its files. */
  get failed(): boolean {
    return this.firstFailure !== null;
  }

  /** Runs the journey's set-up; if it throws, the steps fail naming it (jest fails them too). */
  async setUp(run: () => Promise<void>): Promise<void> {
    await this.guard('the set-up', run);
  }

  step(name: string, run: () => Promise<void>, timeoutMs = this.stepTimeoutMs): void {
    it(
      name,
      async () => {
        if (this.firstFailure)
          throw new Error(`not run: "${this.firstFailure}" failed before it, and this step builds on it`);
        await this.guard(name, run);
      },
      timeoutMs,
    );
  }

  private async guard(name: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.firstFailure ??= name;
      throw err;
    }
  }
}
