import type { AnalysisTiming } from '../../src/analysis/index.js';
import type { FanoutReport } from '../support/fanout.js';
import type { Fanout2Report } from '../support/fanout2.js';
import type { MockConnector } from '../support/mockConnector.js';
import type { PgStoreReport } from '../support/pgBench.js';
import type { CoreResult } from './core.js';
import type { EchoResult } from './echo.js';
import type { FloodReport } from './flood.js';
import type { PgRunResult } from './pg.js';
import type { SaveResult } from './saves.js';
import type { WijzerResult } from './wijzer.js';

/** The figures of every phase that ran; null for the phases left out. */
export interface BenchResults {
  wijzer: WijzerResult | null;
  echo: EchoResult | null;
  /** The echo bot with one durable write of the embedded store a turn (phase b). */
  durableEcho: EchoResult | null;
  saves: SaveResult[] | null;
  fanout: FanoutReport | null;
  analysis: [AnalysisTiming, AnalysisTiming] | null;
  core: CoreResult | null;
  pg1: PgRunResult | null;
  pg2: PgRunResult | null;
  pgStore: PgStoreReport | null;
  fanout2: Fanout2Report | null;
  flood: FloodReport | null;
  /** Why the PostgreSQL phases did not run, if they did not. */
  pgSkipped: string | null;
}

export interface BenchContext {
  tmp: string;
  connector: MockConnector;
  say: (line?: string) => void;
}
