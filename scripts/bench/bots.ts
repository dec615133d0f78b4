import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MockConnector } from '../support/mockConnector.js';
import { SETTLE_MS } from './constants.js';
import { EchoBench, type EchoResult } from './echo.js';
import type { Options } from './options.js';
import { WijzerBench, type WijzerResult } from './wijzer.js';

/**
 * Phases a and b together: the servers are started and warmed up first, then their runs alternate, Wijzer's and
 * the echo bot's closed loops pair by pair, then their paced runs alike. A pair's two runs are next to each other
 * in time, so other work on the machine falls on both; the pairs go Wijzer first, then the echo bot first, and so
 * on, so that a slow drift of that work (or of a server's heap as its runs add up) favours neither. The durable
 * echo bot (phase b too) runs on the echo bot's other side, so that it too is next to the echo bot in every
 * round. Each run starts after a short idle gap and ends with its server's leftover work done
 * (scripts/bench/load.ts).
 */

export interface BothResults {
  wijzer: WijzerResult | null;
  echo: EchoResult | null;
  durableEcho: EchoResult | null;
}

/** One round's runs, Wijzer's then the echo bot's: as given in even rounds, the other way round in odd ones. */
export function inTurn<T>(round: number, runs: T[]): T[] {
  return round % 2 === 0 ? runs : [...runs].reverse();
}

async function runInTurn(round: number, runs: (() => Promise<unknown> | undefined)[]): Promise<void> {
  for (const run of inTurn(round, runs)) {
    await sleep(SETTLE_MS);
    await run();
  }
}

export async function phaseBots(
  options: Options,
  tmp: string,
  connector: MockConnector,
  which: { wijzer: boolean; echo: boolean },
): Promise<BothResults> {
  const wijzer = which.wijzer ? await WijzerBench.start(options, tmp, connector) : null;
  let echo: EchoBench | null = null;
  let durableEcho: EchoBench | null = null;
  try {
    echo = which.echo ? await EchoBench.start(options, connector) : null;
    durableEcho = which.echo ? await EchoBench.start(options, connector, join(tmp, 'durable-echo-data')) : null;
    const turnsEach = () => wijzer?.turnsEach ?? undefined;
    for (let round = 0; round < options.repeats; round++) {
      const runs = [
        () => wijzer?.closedLoop(round),
        () => echo?.closedLoop(round, turnsEach()),
        () => durableEcho?.closedLoop(round, turnsEach()),
      ];
      await runInTurn(round, runs);
    }
    for (let round = 0; options.thinkMs && round < options.repeats; round++) {
      const runs = [
        () => wijzer?.paced(round),
        () => echo?.paced(round, turnsEach()),
        () => durableEcho?.paced(round, turnsEach()),
      ];
      await runInTurn(round, runs);
    }
    return {
      wijzer: (await wijzer?.finish()) ?? null,
      echo: (await echo?.finish()) ?? null,
      durableEcho: (await durableEcho?.finish()) ?? null,
    };
  } finally {
    await Promise.all([wijzer?.close(), echo?.close(), durableEcho?.close()]);
  }
}
