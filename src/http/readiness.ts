import { log } from '../log.js';

export type ReadyAnswer = { status: 'ready' } | { status: 'not ready'; reason: string };

/**
 * GET /readyz without letting anyone who can reach it load the databases or read their error texts: the stores'
 * answer is kept for `ttlMs` (a failure as well), callers at the same moment share one probe, and a failure is
 * logged in full but answered with a generic reason.
 */
export class Readiness {
  private cached: { at: number; answer: Promise<ReadyAnswer> } | null = null;

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly ttlMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  answer(): Promise<ReadyAnswer> {
    const at = this.now();
    if (!this.cached || at - this.cached.at >= this.ttlMs) {
      this.cached = {
        at,
        answer: this.probe().then(
          (): ReadyAnswer => ({ status: 'ready' }),
          (err: unknown): ReadyAnswer => {
            log.error('readyz.failed', err);
            return { status: 'not ready', reason: 'the stores do not answer' };
          },
        ),
      };
    }
    return this.cached.answer;
  }
}
