import { ROOT } from './constants.js';
import { phaseAnalysis } from './analysis.js';
import { phaseBots } from './bots.js';
import { phaseCore } from './core.js';
import { phaseFanout } from './fanout.js';
import { PG_PHASES, type Options } from './options.js';
import { runPgPhases } from './postgres.js';
import { oneRecord } from './record.js';
import type { BenchContext, BenchResults } from './results.js';
import { phaseSaves } from './saves.js';

/** Runs the chosen phases in order, each announced by a line. */
export async function runPhases(options: Options, context: BenchContext): Promise<BenchResults> {
  const { tmp, connector, say } = context;
  const { phases, small, large } = options;
  const results: BenchResults = {
    ...{ wijzer: null, echo: null, durableEcho: null, saves: null, fanout: null, analysis: null, core: null },
    ...{ pg1: null, pg2: null, pgStore: null, fanout2: null, flood: null, pgSkipped: null },
  };
  const which = { wijzer: phases.has('a'), echo: phases.has('b') };
  if (which.wijzer || which.echo) {
    const bots = [
      which.wijzer && 'a. Wijzer (whole interviews)',
      which.echo && 'b. the echo bot and the durable echo bot (as many turns)',
    ];
    const runs = options.thinkMs ? 'closed-loop runs, then as many paced runs' : 'closed-loop runs';
    const alternating = which.wijzer && which.echo ? ', alternating' : '';
    say(`${bots.filter(Boolean).join(' and ')}: ${options.repeats} ${runs} each${alternating} …`);
    Object.assign(results, await phaseBots(options, tmp, connector, which));
  }
  if (phases.has('c')) {
    say(`c. saveInterview with ${small.toLocaleString('en')} and ${large.toLocaleString('en')} interviews stored …`);
    results.saves = await phaseSaves(options, tmp, results.wijzer?.record ?? (await oneRecord(tmp, connector)));
  }
  if (phases.has('d')) {
    const limits = `Outbox at ${options.fanoutRate}/s, mock connector limited to ${options.fanoutLimit} requests/s`;
    say(`d. invitation fan-out: ${options.fanoutJobs} jobs, ${limits} …`);
    results.fanout = await phaseFanout(options);
  }
  if (phases.has('analysis')) {
    const sizes = `${small.toLocaleString('en')} and ${large.toLocaleString('en')} sorts of 32 statements`;
    say(`analysis: principal components, varimax, z-scores (3 factors) of ${sizes} …`);
    results.analysis = await phaseAnalysis(options);
  }
  if (phases.has('core')) {
    say('core. handleTurn and card expansion in this process, over 40 whole interviews …');
    results.core = phaseCore(ROOT);
  }
  if (PG_PHASES.some((p) => phases.has(p))) await runPgPhases(options, context, results);
  if (phases.has('flood')) {
    say('flood. twice: 20 paced participants alone, then 20 others while one participant sends 50 messages/s …');
    const { runFloodPhase } = await import('./flood.js');
    const flood = { participants: 20, thinkMs: 400, floodPerSec: 50, rounds: 2, quietMs: 11_000, contentDir: ROOT };
    results.flood = await runFloodPhase(flood);
  }
  return results;
}
