import { cpus } from 'node:os';
import { TIMELINE_MS } from './constants.js';
import { fanoutOk } from './fanout.js';
import { fanout2Ok } from './fanout2.js';
import { resentRequests, type LoadResult } from './load.js';
import type { Options } from './options.js';
import type { PgRunResult } from './pg.js';
import { printPairs, ratioLine } from './pairsReport.js';
import {
  cpuPerTurn,
  cpuRatio,
  cpuRatios,
  fanoutShareOfLimit,
  fillsLimit,
  pacedP99Ratio,
  pacedP99Ratios,
  throughputRatio,
  throughputRatios,
} from './ratios.js';
import type { BenchResults } from './results.js';
import { medians, shown } from './shownRuns.js';

/** What the bench prints: the tables and notes, the targets, the `--json` line, and what fails the bench. */

type Say = (line?: string) => void;

const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits));
const round2 = (n: number): number => Math.round(n * 100) / 100;
const round3 = (n: number): number => Math.round(n * 1000) / 1000;
const verdict = (met: boolean): string => (met ? 'target met' : 'missed');
const row = (cells: string[], widths: number[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
const WIDTHS = [40, 9, 8, 8, 8, 8, 12];
const HEADINGS = ['turns/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'srv CPU/turn'];

/** The turns/s the paced run offers: each participant about 1000 / think turns/s; null without a paced run. */
function offeredTurnsPerSec(options: Options): number | null {
  return options.thinkMs ? (options.participants * 1000) / options.thinkMs : null;
}

function pacingText(options: Options): string {
  const think = options.thinkMs.toLocaleString('en');
  return `think ${think} ms ±50%, starts spread over ${options.rampMs.toLocaleString('en')} ms`;
}

/** The rate a run really applied: a paced run's plateau where there was one. */
const pacedRate = (load: LoadResult) => load.plateauTurnsPerSec ?? load.turnsPerSec;

export function printHeader(options: Options, say: Say): void {
  const offered = offeredTurnsPerSec(options);
  say(`Wijzer bench: ${options.participants} participants, ${cpus().length} cores, Node ${process.version}`);
  const latency =
    offered === null
      ? 'no paced run (--think 0)'
      : `paced (${pacingText(options)}), offering about ${fmt(offered, 0)} turns/s`;
  say(`  capacity: closed loop, all at once, no think time; latency: ${latency}`);
}

function loadRow(say: Say, name: string, load: LoadResult, rate: number): void {
  const { p50, p95, p99, max } = load.latencies;
  const cells = [`${name} (${load.turns} turns)`, fmt(rate, 0), fmt(p50), fmt(p95), fmt(p99), fmt(max)];
  say(row([...cells, `${fmt(cpuPerTurn(load), 2)} ms`], WIDTHS));
}

function printLoadTables(results: BenchResults, options: Options, say: Say): void {
  const [wijzer, echo, durable] = [shown(results.wijzer), shown(results.echo), shown(results.durableEcho)];
  if (!wijzer && !echo) return;
  const offered = offeredTurnsPerSec(options);
  const bots = [
    ['Wijzer, whole interviews', wijzer],
    ['echo bot, same turns', echo],
    ['durable echo bot, same turns', durable],
  ] as const;
  say();
  say(row([`capacity: closed loop, no think time`, ...HEADINGS], WIDTHS));
  for (const [name, r] of bots) if (r) loadRow(say, name, r.load, r.load.turnsPerSec);
  if (wijzer?.paced || echo?.paced) {
    say();
    say(row([`latency: paced, offered ${fmt(offered ?? NaN, 0)} turns/s`, ...HEADINGS], WIDTHS));
    for (const [name, r] of bots) if (r?.paced) loadRow(say, name, r.paced, pacedRate(r.paced));
  }
  say();
  const alone = [
    ['Wijzer, one participant alone', wijzer],
    ['echo bot, one participant alone', echo],
    ['durable echo bot, one participant alone', durable],
  ] as const;
  for (const [name, r] of alone) {
    if (r) say(row([name, '', fmt(r.solo.p50), fmt(r.solo.p95), fmt(r.solo.p99), fmt(r.solo.max), ''], WIDTHS));
  }
  if (offered !== null) {
    const n = options.participants;
    const capacity = medians(wijzer).turnsPerSec;
    const share = capacity ? ` = ${fmt((offered / capacity) * 100, 0)}% of Wijzer's capacity` : '';
    const offer = `${n} participants offer ${n} × 1000 / ${options.thinkMs} = ${fmt(offered, 0)} turns/s${share}`;
    say(`  paced: ${pacingText(options)}; ${offer}; the paced turns/s is measured while all were mid-interview`);
  }
}

const pct = (ms: number | null, wallMs: number) => (ms === null ? '–' : `${fmt((ms / wallMs) * 100, 0)}%`);

/** Where a run's time and CPU went: server, bench process, the rest of the machine; latency by kind of turn. */
function printMachine(say: Say, name: string, load: LoadResult): void {
  const s = load.server;
  const shortPlateau = load.plateauMs !== null && load.plateauMs < load.wallMs * 0.95;
  const plateauRate = fmt(load.plateauTurnsPerSec ?? NaN, 0);
  const plateau = shortPlateau
    ? ` (all participants active for ${fmt(load.plateauMs! / 1000)} s, ${plateauRate} turns/s)`
    : '';
  const cpu =
    `CPU (% of one core) server ${pct(s.cpuUserMs + s.cpuSystemMs, load.wallMs)}, ` +
    `bench process (load + mock connector) ${pct(load.clientCpuMs, load.wallMs)}, ` +
    `rest of the machine ${pct(load.otherCpuMs, load.wallMs)}`;
  const loops =
    `server event-loop delay p99 ${fmt(s.loopDelayP99Ms)} ms (max ${fmt(s.loopDelayMaxMs)}), ` +
    `bench process's ${fmt(load.clientLoopDelayP99Ms)} ms (max ${fmt(load.clientLoopDelayMaxMs)})`;
  say(`  ${name}: wall ${fmt(load.wallMs / 1000)} s${plateau}; ${cpu}; ${loops}; server RSS ${fmt(s.rssMb, 0)} MB`);
  if (load.otherCpuMs !== null && load.otherCpuMs / load.wallMs > 0.15) {
    const other = pct(load.otherCpuMs, load.wallMs);
    say(`    warning: other work used ${other} of a core during this run; its figures are disturbed`);
  }
  const kinds = Object.entries(load.byKind).map(
    ([k, l]) => `${k} p50 ${fmt(l.p50, 0)}/p99 ${fmt(l.p99, 0)} ms (${l.count})`,
  );
  say(`    latency by kind of turn: ${kinds.join(', ')}`);
  if (shortPlateau) {
    const buckets = load.timeline.map((b) => `${fmt(b.turnsPerSec, 0)} (${fmt(b.p99, 0)})`);
    say(`    per ${TIMELINE_MS / 1000} s, turns/s (p99 ms): ${buckets.join(', ')}`);
  }
  if (load.latencies.overConnectorTimeout) {
    const slow = load.latencies.overConnectorTimeout;
    say(`    turns slower than the Bot Connector's 15 s timeout (they would fail in Teams): ${slow}`);
  }
}

function printRuns(results: BenchResults, options: Options, say: Say): void {
  const { saves } = results;
  const [wijzer, echo] = [shown(results.wijzer), shown(results.echo)];
  if (wijzer) {
    say();
    printMachine(say, 'Wijzer, closed loop (the run of median turns/s)', wijzer.load);
    const calls = JSON.stringify(wijzer.connectorRoutes);
    say(`    connector calls ${calls} over ${wijzer.connectorConnections} connections`);
    say(`    Bot Connector calls per card turn: ${fmt(wijzer.connectorCallsPerCardTurn, 2)} (target: at most 1)`);
    if (wijzer.paced) printMachine(say, 'Wijzer, paced (the run of median p99)', wijzer.paced);
    const kinds = Object.entries(wijzer.soloByKind).map(([k, l]) => `${k} p50 ${fmt(l.p50, 1)} ms (${l.count})`);
    say(`  Wijzer, one participant alone, by kind of turn: ${kinds.join(', ')}`);
    const resent = resentRequests();
    if (resent) say(`  requests sent again after a keep-alive reset on an idle connection: ${resent}`);
    const all = options.participants * (wijzer.loads.length + wijzer.pacedRuns.length);
    say(`  all ${all} interviews complete in the store (checked code by code through the key store)`);
  }
  if (echo) {
    printMachine(say, 'echo bot, closed loop (the run of median turns/s)', echo.load);
    if (echo.paced) printMachine(say, 'echo bot, paced (the run of median p99)', echo.paced);
  }
  const durable = shown(results.durableEcho);
  if (durable?.paced) printMachine(say, 'durable echo bot, paced (the run of median p99)', durable.paced);
  printPairs(results, say);
  const [firstSave] = saves ?? [];
  if (saves && firstSave) {
    const widths = [34, 9, 8, 8];
    say();
    say(row([`saveInterview (${fmt(firstSave.recordBytes / 1024)} kB record)`, 'median', 'p95', 'fill'], widths));
    for (const s of saves) {
      const cells = [`${fmt(s.medianMs, 3)} ms`, `${fmt(s.p95Ms, 3)} ms`, `${fmt(s.populateMs / 1000)} s`];
      say(row([`${s.stored.toLocaleString('en')} interviews stored`, ...cells], widths));
    }
  }
}

function printFanout(results: BenchResults, options: Options, say: Say): void {
  const f = results.fanout;
  if (!f) return;
  const perJob = options.fanoutLimit / 2;
  const storeTimes = Object.entries(f.store)
    .map(([m, t]) => `${m} ${t.calls}× ${fmt(t.totalMs / 1000, 2)} s (max ${fmt(t.maxMs, 0)} ms)`)
    .join(', ');
  const retryAfter =
    options.fanoutRetryAfter === null ? 'without Retry-After' : `+ Retry-After: ${options.fanoutRetryAfter}`;
  say();
  say(
    `invitation fan-out: Outbox at ${f.outboxRatePerSec} invitations/s; mock connector limit ${f.limitPerSec} ` +
      `requests/s (all routes, sliding 1 s; 429 ${retryAfter}), ` +
      `i.e. ${fmt(perJob, 0)} invitations/s to new chats (create + send)`,
  );
  const marked = f.sentButMissing ? ` (${f.sentButMissing} of them marked 'sent' by the outbox)` : '';
  const misdelivered = f.misdelivered ? `, misdelivered ${f.misdelivered}` : '';
  const strays = f.strays ? `, other messages to invitees ${f.strays}` : '';
  const statuses = JSON.stringify(f.statuses);
  say(`  ${f.jobs} jobs: ${statuses}; lost ${f.lost}${marked}, duplicates ${f.duplicates}${misdelivered}${strays}`);
  if (f.turnErrors) {
    const swallowed = 'errors swallowed by adapter.onTurnError while sending (the delivery then looked successful)';
    say(`  ${swallowed}: ${f.turnErrors}`);
  }
  const ofLimit = fmt((f.acceptedRequestsPerSec / f.limitPerSec) * 100, 0);
  say(
    `  achieved ${fmt(f.ratePerSec)} invitations/s (${fmt(f.acceptedRequestsPerSec)} requests/s accepted = ` +
      `${ofLimit}% of the limit); sending ${fmt(f.sendMs / 1000)} s, enqueueing ${fmt(f.enqueueMs / 1000)} s, ` +
      `wall ${fmt(f.wallMs / 1000)} s`,
  );
  say(
    `  429s answered by the mock: ${f.throttled} ${JSON.stringify(f.throttledByRoute)}; 429s the outbox saw: ` +
      `${f.outbox429s} (botbuilder's HTTP pipeline retries a 429 after its Retry-After up to 3 times itself); ` +
      `outbox retries ${f.outboxRetries}, drains ${f.drains}`,
  );
  say(
    `  requests accepted ${JSON.stringify(f.accepted)} over ${f.connections} connection(s); one delivery ` +
      `p50 ${fmt(f.deliverP50Ms)} ms, p99 ${fmt(f.deliverP99Ms)} ms, max ${fmt(f.deliverMaxMs)} ms ` +
      `(sends are pipelined within the token bucket: a delivery waiting out a 429 holds up no other)`,
  );
  say(`  time in LowdbOutboxStore: ${storeTimes}`);
  for (const problem of f.problems) say(`  problem: ${problem}`);
}

function printAnalysis(results: BenchResults, say: Say): void {
  if (!results.analysis) return;
  say();
  for (const a of results.analysis) {
    const what = `${a.nSorts.toLocaleString('en')} sorts × ${a.nStatements} statements, ${a.factors} factors`;
    say(`analysis of ${what}: ${a.ms.toLocaleString('en')} ms, heap +${fmt(a.heapMB)} MB`);
  }
}

function printCore(results: BenchResults, say: Say): void {
  const c = results.core;
  if (!c) return;
  say();
  say(
    `core, in-process CPU: handleTurn ${fmt(c.handleTurnUsPerTurn)} µs per turn (${c.turns} turns of ` +
      `${c.interviews} whole interviews), card expansion ${fmt(c.cardExpandUsPerCard)} µs per card (${c.cards} cards)`,
  );
}

function printPostgres(results: BenchResults, options: Options, say: Say): void {
  const { pg1, pg2, pgSkipped } = results;
  if (pgSkipped) {
    say();
    say(`PostgreSQL phases skipped: ${pgSkipped}`);
  }
  if (!pg1 && !pg2) return;
  say();
  const n = (pg1 ?? pg2)!.participants;
  if (n < options.participants) {
    const offered = options.thinkMs ? (n * 1000) / options.thinkMs : NaN;
    say(
      `PostgreSQL: ${n} participants per run (not ${options.participants}: --pg-participants, to keep the bench ` +
        `within ~6 minutes); offered ${fmt(offered, 0)} turns/s when paced`,
    );
  }
  say(row([`PostgreSQL: closed loop / paced`, ...HEADINGS], WIDTHS));
  const runs = [pg1, pg2].filter((r): r is PgRunResult => r !== null);
  for (const r of runs) {
    const name = r.instances === 1 ? 'one instance' : 'two instances';
    loadRow(say, `${name}, closed loop`, r.load, r.load.turnsPerSec);
    if (r.paced) loadRow(say, `${name}, paced`, r.paced, pacedRate(r.paced));
  }
  for (const r of runs) {
    const name = r.instances === 1 ? 'PostgreSQL, one instance' : 'PostgreSQL, two instances (CPU and RSS summed)';
    printMachine(say, `${name}, closed loop`, r.load);
    if (r.paced) printMachine(say, `${name}, paced`, r.paced);
    const all = r.participants * (r.paced ? 2 : 1);
    say(`  all ${all} interviews complete in PostgreSQL (checked code by code through the key database)`);
  }
}

function printPgStore(results: BenchResults, say: Say): void {
  const pgStore = results.pgStore;
  if (!pgStore) return;
  say();
  for (const s of pgStore.saves) {
    const times = `median ${fmt(s.medianMs, 3)} ms, p95 ${fmt(s.p95Ms, 3)} ms (bulk fill ${fmt(s.fillMs / 1000, 2)} s)`;
    say(`PgAnswerStore.saveInterview, ${s.stored.toLocaleString('en')} interviews stored: ${times}`);
  }
  if (pgStore.exportMs === null) return;
  const floorMs = pgStore.exportFloorMs ?? NaN;
  say(
    `CSV export (as the CLI writes it, streamed) of ${pgStore.exportInterviews.toLocaleString('en')} completed ` +
      `interviews from PostgreSQL: ${fmt(pgStore.exportMs, 0)} ms, ${fmt(pgStore.exportBytes / 2 ** 20)} MB ` +
      `written, peak RSS ${fmt(pgStore.exportPeakRssMB ?? NaN, 0)} MB; the floor (the same rows read and ` +
      `dropped): ${fmt(floorMs, 0)} ms, peak RSS ${fmt(pgStore.exportFloorPeakRssMB ?? NaN, 0)} MB; ` +
      `export / floor ${fmt(pgStore.exportMs / floorMs, 2)}x; CPU ${fmt(pgStore.exportCpuMs ?? NaN, 0)} vs ` +
      `${fmt(pgStore.exportFloorCpuMs ?? NaN, 0)} ms`,
  );
}

function printFanout2(results: BenchResults, say: Say): void {
  const f = results.fanout2;
  if (!f) return;
  say();
  say(
    `invitation fan-out by two instances on PostgreSQL: shared rate gate at ${f.ratePerSecLimit} invitations/s; ` +
      `mock connector limit ${f.limitPerSec} requests/s (429 + Retry-After: 1)`,
  );
  const strays = f.strays ? `, other messages to invitees ${f.strays}` : '';
  const turnErrors = f.turnErrors ? `, turn errors ${f.turnErrors}` : '';
  say(
    `  ${f.jobs} jobs: ${JSON.stringify(f.statuses)}; by instance ${JSON.stringify(f.bySender)}; ` +
      `lost ${f.lost}, duplicates ${f.duplicates}${strays}${turnErrors}`,
  );
  say(
    `  achieved ${fmt(f.ratePerSec, 2)} invitations/s = ${fmt(f.rateRatio, 3)} of the rate; ` +
      `sending ${fmt(f.sendMs / 1000)} s, wall ${fmt(f.wallMs / 1000)} s; 429s answered by the mock ${f.throttled}`,
  );
  const step = (name: string, t: { calls: number; p50: number; p95: number; max: number }) =>
    `${name} ${fmt(t.p50)}/${fmt(t.p95)}/${fmt(t.max, 0)} ms (${t.calls})`;
  say(
    `  per call p50/p95/max: ${Object.entries(f.steps)
      .map(([name, t]) => step(name, t))
      .join(', ')}`,
  );
  const { p5, p50, p95, max } = f.gapsMs;
  say(`  between accepted invitations: p5 ${fmt(p5)}, p50 ${fmt(p50)}, p95 ${fmt(p95)}, max ${fmt(max, 0)} ms`);
  for (const problem of f.problems) say(`  problem: ${problem}`);
}

/** The tables and notes of every phase that ran. */
export function printResults(results: BenchResults, options: Options, say: Say): void {
  printLoadTables(results, options, say);
  printRuns(results, options, say);
  printFanout(results, options, say);
  printAnalysis(results, say);
  printCore(results, say);
  printPostgres(results, options, say);
  printPgStore(results, say);
  printFanout2(results, say);
}

/** The figures the targets compare, looked up once. */
function keyFigures(results: BenchResults, options: Options) {
  const { saves, pgStore } = results;
  const pgP99 = (r: PgRunResult | null) => r?.paced?.latencies.p99 ?? null;
  return {
    save1k: saves?.[0],
    save60k: saves?.[1],
    pgSave1k: pgStore?.saves.find((s) => s.stored === options.small),
    pgSave60k: pgStore?.saves.find((s) => s.stored === options.large),
    pgP99: pgP99(results.pg1),
    pg2P99: pgP99(results.pg2),
  };
}

export type Targets = ReturnType<typeof targetsOf>;

/** Each target: met (true), missed (false), or not measured (null). */
export function targetsOf(results: BenchResults, options: Options) {
  const { wijzer, analysis, pg1, pg2, pgStore, fanout, fanout2 } = results;
  const { save1k, save60k, pgSave1k, pgSave60k, pgP99, pg2P99 } = keyFigures(results, options);
  const exportMs = pgStore?.exportMs ?? null;
  const floorMs = pgStore?.exportFloorMs ?? null;
  const throughput = throughputRatio(results);
  const p99Ratio = pacedP99Ratio(results);
  const cpu = cpuRatio(results);
  const p99 = medians(wijzer).pacedP99Ms;
  return {
    p99Under50Ms: p99 === null ? null : p99 < 50,
    p99Within2xEcho: p99Ratio === null ? null : p99Ratio <= 2,
    serverCpuWithin1_5xEcho: cpu === null ? null : cpu <= 1.5,
    halfEchoThroughput: throughput === null ? null : throughput >= 0.5,
    throughputAtLeast0_66xEcho: throughput === null ? null : throughput >= 0.66,
    save60kWithin1_5x: save1k && save60k ? save60k.medianMs <= 1.5 * save1k.medianMs : null,
    fanoutNoLossNoDuplicates: fanout ? fanoutOk(fanout) : null,
    fanoutAtLeast0_95OfLimit: fillsLimit(fanoutShareOfLimit(fanout)),
    analyse1kUnder1s: analysis ? analysis[0].ms < 1000 : null,
    analyse60kUnder10s: analysis ? analysis[1].ms < 10_000 : null,
    pgP99Under50Ms: pgP99 === null ? null : pgP99 < 50,
    pg2P99Under50Ms: pg2P99 === null ? null : pg2P99 < 50,
    pg2AtLeast0_9xPg: pg1 && pg2 ? pg2.load.turnsPerSec >= 0.9 * pg1.load.turnsPerSec : null,
    pgSave60kWithin1_5x: pgSave1k && pgSave60k ? pgSave60k.medianMs <= 1.5 * pgSave1k.medianMs : null,
    export60kUnder2s: exportMs !== null ? exportMs < 2000 : null,
    // Under 2 s or within 1.5x of merely reading the rows, whichever is larger.
    export60kWithinFloorTarget:
      exportMs !== null && floorMs !== null ? exportMs <= Math.max(2000, 1.5 * floorMs) : null,
    fanout2AtLeast0_95OfLimit: fanout2 ? fanout2.rateRatio >= 0.95 : null,
    fanout2NoLossNoDuplicates: fanout2 ? fanout2Ok(fanout2) : null,
  };
}

const met = (target: boolean | null) => verdict(target === true);

/** The targets of phases a to d and the analysis. */
function printLowdbTargets(results: BenchResults, options: Options, targets: Targets, say: Say): void {
  const { wijzer, echo, analysis, fanout } = results;
  const { save1k, save60k } = keyFigures(results, options);
  const large = options.large.toLocaleString('en');
  const [ours, theirs] = [medians(wijzer), medians(echo)];
  if (ours.pacedP99Ms !== null) {
    const p99 = ours.pacedP99Ms;
    const offered = fmt(offeredTurnsPerSec(options) ?? NaN, 0);
    const echoP99 = theirs.pacedP99Ms === null ? '–' : `${fmt(theirs.pacedP99Ms)} ms`;
    say(
      `  p99 turn latency under 50 ms (paced, ${offered} turns/s offered; medians of the runs): ${fmt(p99)} ms ` +
        `(${fmt(p99 / 50, 2)}x the target; echo bot ${echoP99}) — ${met(targets.p99Under50Ms)}`,
    );
    const line = ratioLine(results, 'p99');
    if (line) say(`  paced p99 within 2x the echo bot's: ${line} — ${met(targets.p99Within2xEcho)}`);
  }
  printDiskFloor(results, say);
  if (wijzer && echo && ours.cpuMsPerTurn !== null && theirs.cpuMsPerTurn !== null) {
    say(
      `  server CPU per turn within 1.5x the echo bot's (closed loop): ${fmt(ours.cpuMsPerTurn, 2)} vs ` +
        `${fmt(theirs.cpuMsPerTurn, 2)} ms; ${ratioLine(results, 'cpu')} — ${met(targets.serverCpuWithin1_5xEcho)}`,
    );
    if (ours.mainThreadCpuMsPerTurn !== null && theirs.mainThreadCpuMsPerTurn !== null) {
      const rest = (all: number, main: number) => fmt(all - main, 2);
      say(
        `    of it the main thread (JavaScript): ${fmt(ours.mainThreadCpuMsPerTurn, 2)} vs ` +
          `${fmt(theirs.mainThreadCpuMsPerTurn, 2)} ms; the other threads (V8's garbage-collection helpers, ` +
          `libuv's file-system pool): ${rest(ours.cpuMsPerTurn, ours.mainThreadCpuMsPerTurn)} vs ` +
          `${rest(theirs.cpuMsPerTurn, theirs.mainThreadCpuMsPerTurn)} ms (medians of the runs)`,
      );
    }
    say(
      `  at least 0.66 of the echo bot's throughput (closed loop): ${fmt(ours.turnsPerSec ?? NaN, 0)} vs ` +
        `${fmt(theirs.turnsPerSec ?? NaN, 0)} turns/s; ${ratioLine(results, 'throughput')} — ` +
        `${met(targets.throughputAtLeast0_66xEcho)} (at least half: ${met(targets.halfEchoThroughput)})`,
    );
  }
  if (save1k && save60k) {
    const ratio = fmt(save60k.medianMs / save1k.medianMs, 2);
    say(`  save at ${large} within 1.5x the save at 1,000: ${ratio}x — ${met(targets.save60kWithin1_5x)}`);
  }
  if (fanout) {
    const once = `${fanout.lost} lost, ${fanout.duplicates} duplicated`;
    say(`  every invitation sent exactly once: ${once} — ${targets.fanoutNoLossNoDuplicates ? 'met' : 'FAILED'}`);
    const share = fmt(fanoutShareOfLimit(fanout) ?? NaN, 3);
    say(`  one-instance fan-out at 0.95 to 1.0 of the limit: ${share} — ${met(targets.fanoutAtLeast0_95OfLimit)}`);
  }
  if (analysis) {
    const [small, big] = analysis;
    say(
      `  analysis of ${small.nSorts.toLocaleString('en')} sorts under 1 s: ${small.ms} ms — ` +
        `${met(targets.analyse1kUnder1s)}; of ${big.nSorts.toLocaleString('en')} sorts under 10 s: ${big.ms} ms — ` +
        `${met(targets.analyse60kUnder10s)}`,
    );
  }
}

/**
 * What one durable write a turn costs the echo bot on this disk, in the same run: not a target, the floor under
 * Wijzer's paced p99 and CPU (each of its turns waits for at least that write).
 */
function printDiskFloor(results: BenchResults, say: Say): void {
  const { echo, durableEcho } = results;
  const durable = medians(durableEcho);
  if (!echo || !durableEcho || durable.cpuMsPerTurn === null) return;
  const floor = { wijzer: durableEcho, echo };
  const p99 = ratioLine(floor, 'p99');
  const paced = p99 === null ? '' : `; paced p99 ${fmt(durable.pacedP99Ms ?? NaN)} ms, over the echo bot's: ${p99}`;
  say(
    `  the disk's floor (the durable echo bot: one journaled, durable write of the embedded store a turn): ` +
      `server CPU ${fmt(durable.cpuMsPerTurn, 2)} ms/turn, over the echo bot's: ${ratioLine(floor, 'cpu')}${paced}`,
  );
}

/** The targets of the PostgreSQL phases. */
function printPgTargets(results: BenchResults, options: Options, targets: Targets, say: Say): void {
  const { pg1, pg2, pgStore, fanout2 } = results;
  const { pgSave1k, pgSave60k, pgP99, pg2P99 } = keyFigures(results, options);
  const large = options.large.toLocaleString('en');
  if (pgP99 !== null) {
    say(`  PostgreSQL, one instance, p99 under 50 ms (paced): ${fmt(pgP99)} ms — ${met(targets.pgP99Under50Ms)}`);
  }
  if (pg2P99 !== null) {
    say(`  PostgreSQL, two instances, p99 under 50 ms (paced): ${fmt(pg2P99)} ms — ${met(targets.pg2P99Under50Ms)}`);
  }
  if (pg1 && pg2) {
    const [two, one] = [pg2.load.turnsPerSec, pg1.load.turnsPerSec];
    say(
      `  two instances at least 0.9 of one instance's throughput (closed loop): ${fmt(two, 0)} vs ${fmt(one, 0)} ` +
        `turns/s = ${fmt(two / one, 2)}x — ${met(targets.pg2AtLeast0_9xPg)}`,
    );
  }
  if (pgSave1k && pgSave60k) {
    const ratio = fmt(pgSave60k.medianMs / pgSave1k.medianMs, 2);
    say(`  PostgreSQL save at ${large} within 1.5x the save at 1,000: ${ratio}x — ${met(targets.pgSave60kWithin1_5x)}`);
  }
  if (pgStore && pgStore.exportMs !== null) {
    const n = pgStore.exportInterviews.toLocaleString('en');
    const ms = fmt(pgStore.exportMs, 0);
    say(`  CSV export of ${n} interviews (PostgreSQL store) under 2 s: ${ms} ms — ${met(targets.export60kUnder2s)}`);
    if (targets.export60kWithinFloorTarget !== null) {
      const floorMs = pgStore.exportFloorMs!;
      say(
        `  the same export under 2 s or within 1.5x the floor (${fmt(floorMs, 0)} ms), whichever is larger: ` +
          `${fmt(pgStore.exportMs / floorMs, 2)}x the floor — ${met(targets.export60kWithinFloorTarget)}`,
      );
    }
  }
  if (fanout2) {
    const once = `${fanout2.lost} lost, ${fanout2.duplicates} duplicated`;
    say(
      `  two-instance fan-out at 0.95 of the limit or more: ${fmt(fanout2.rateRatio, 3)} — ` +
        `${met(targets.fanout2AtLeast0_95OfLimit)}; every invitation exactly once: ${once} — ` +
        `${targets.fanout2NoLossNoDuplicates ? 'met' : 'FAILED'}`,
    );
  }
}

/** The targets, one line each for those measured; the total time. */
export function printTargets(
  results: BenchResults,
  options: Options,
  targets: Targets,
  say: Say,
  totalMs: number,
): void {
  const { flood } = results;
  say();
  say('targets (reported, not asserted; except the fan-out):');
  printLowdbTargets(results, options, targets, say);
  printPgTargets(results, options, targets, say);
  if (flood) {
    say(
      `  others' p99 under a 50 messages/s flood within 1.2x of the p99 without: ${fmt(flood.floodP99Ms)} vs ` +
        `${fmt(flood.baselineP99Ms)} ms = ${fmt(flood.ratio, 2)}x — ${verdict(flood.ratio <= 1.2)}; the flooder's ` +
        `${flood.floodSent} messages: ${JSON.stringify(flood.floodStatuses)}, told to slow down ` +
        `${flood.floodWarnings}x in ${flood.rounds} floods`,
    );
  }
  say(`total ${fmt(totalMs / 1000)} s`);
}

const r2 = (n: number | null | undefined) => (n === null || n === undefined || Number.isNaN(n) ? null : round2(n));

/** Phases a and b: capacity (the closed loop), latency (the paced run), the echo bot's alike. */
function jsonOfLoad(results: BenchResults, options: Options) {
  const [w, e] = [shown(results.wijzer), shown(results.echo)];
  const [ours, theirs] = [medians(w), medians(e)];
  return {
    participants: options.participants,
    repeats: options.repeats,
    thinkMs: options.thinkMs,
    rampMs: options.rampMs,
    turns: w?.load.turns ?? null,
    // Capacity: the closed loop.
    turnsPerSec: r2(ours.turnsPerSec),
    saturatedP50Ms: r2(w?.load.latencies.p50),
    saturatedP95Ms: r2(w?.load.latencies.p95),
    saturatedP99Ms: r2(w?.load.latencies.p99),
    saturatedMaxMs: r2(w?.load.latencies.max),
    turnsOver15s: w?.load.latencies.overConnectorTimeout ?? null,
    serverCpuMsPerTurn: r2(ours.cpuMsPerTurn),
    serverMainThreadCpuMsPerTurn: r2(ours.mainThreadCpuMsPerTurn),
    connectorCallsPerCardTurn: r2(w?.connectorCallsPerCardTurn),
    // Latency: the paced run.
    offeredTurnsPerSec: r2(offeredTurnsPerSec(options)),
    pacedTurnsPerSec: r2(w?.paced ? pacedRate(w.paced) : undefined),
    p50Ms: r2(w?.paced?.latencies.p50),
    p95Ms: r2(w?.paced?.latencies.p95),
    p99Ms: r2(ours.pacedP99Ms),
    maxMs: r2(w?.paced?.latencies.max),
    consentP99Ms: r2(w?.paced?.byKind.consent?.p99),
    pacedServerCpuPct: r2(w?.paced?.serverCpuPct),
    pacedLoopDelayP99Ms: r2(w?.paced?.server.loopDelayP99Ms),
    soloP50Ms: r2(w?.solo.p50),
    soloP99Ms: r2(w?.solo.p99),
    echoTurns: e?.load.turns ?? null,
    echoTurnsPerSec: r2(theirs.turnsPerSec),
    echoSaturatedP50Ms: r2(e?.load.latencies.p50),
    echoSaturatedP99Ms: r2(e?.load.latencies.p99),
    echoServerCpuMsPerTurn: r2(theirs.cpuMsPerTurn),
    echoServerMainThreadCpuMsPerTurn: r2(theirs.mainThreadCpuMsPerTurn),
    // "A turn costs little more than the framework": Wijzer's server CPU per turn over the echo bot's.
    serverCpuMsPerTurnRatio: r2(cpuRatio(results)),
    throughputRatio: r2(throughputRatio(results)),
    p99RatioToEcho: r2(pacedP99Ratio(results)),
    // Each pair's ratio, in the order the pairs ran: the figures above are their medians.
    ...pairRatiosJson(results),
    echoPacedTurnsPerSec: r2(e?.paced ? pacedRate(e.paced) : undefined),
    echoP50Ms: r2(e?.paced?.latencies.p50),
    echoP95Ms: r2(e?.paced?.latencies.p95),
    echoP99Ms: r2(theirs.pacedP99Ms),
    otherCpuPct: w?.load.otherCpuMs != null ? Math.round((w.load.otherCpuMs / w.load.wallMs) * 100) : null,
    rssMb: r2(w?.paced?.server.rssMb ?? w?.load.server.rssMb),
    echoRssMb: r2(e?.paced?.server.rssMb ?? e?.load.server.rssMb),
    ...jsonOfDiskFloor(results),
  };
}

/** The durable echo bot's figures, and its ratios to the echo bot's (the pairs' medians). */
function jsonOfDiskFloor(results: BenchResults) {
  const { echo, durableEcho } = results;
  const durable = medians(durableEcho);
  const floor = { wijzer: durableEcho, echo };
  return {
    durableEchoTurnsPerSec: r2(durable.turnsPerSec),
    durableEchoServerCpuMsPerTurn: r2(durable.cpuMsPerTurn),
    durableEchoP99Ms: r2(durable.pacedP99Ms),
    durableEchoCpuRatioToEcho: r2(cpuRatio(floor)),
    durableEchoP99RatioToEcho: r2(pacedP99Ratio(floor)),
  };
}

/** Each pair's ratios, rounded; empty lists when a bot did not run. */
function pairRatiosJson(results: BenchResults) {
  const round = (ratios: number[]) => ratios.map(round2);
  return {
    throughputRatios: round(throughputRatios(results)),
    serverCpuMsPerTurnRatios: round(cpuRatios(results)),
    p99RatiosToEcho: round(pacedP99Ratios(results)),
  };
}

/** Phases c, d, analysis and core: lowdb saves, the invitation fan-out, the analysis timings, the core figures. */
function jsonOfLowdb(results: BenchResults, options: Options) {
  const { fanout, analysis } = results;
  const { save1k, save60k } = keyFigures(results, options);
  const share = fanoutShareOfLimit(fanout);
  return {
    save1kMs: save1k ? round3(save1k.medianMs) : null,
    save1kP95Ms: save1k ? round3(save1k.p95Ms) : null,
    save60kMs: save60k ? round3(save60k.medianMs) : null,
    save60kP95Ms: save60k ? round3(save60k.p95Ms) : null,
    saveLargeStored: save60k?.stored ?? null,
    fanoutJobs: fanout?.jobs ?? null,
    fanoutOutboxRatePerSec: fanout?.outboxRatePerSec ?? null,
    fanoutLimitPerSec: fanout?.limitPerSec ?? null,
    fanoutRatePerSec: r2(fanout?.ratePerSec),
    fanoutAcceptedRequestsPerSec: r2(fanout?.acceptedRequestsPerSec),
    fanoutShareOfLimit: share === null ? null : round3(share),
    fanout429s: fanout?.throttled ?? null,
    fanoutOutbox429s: fanout?.outbox429s ?? null,
    fanoutLost: fanout?.lost ?? null,
    fanoutDuplicates: fanout?.duplicates ?? null,
    fanoutSentButMissing: fanout?.sentButMissing ?? null,
    fanoutTurnErrors: fanout?.turnErrors ?? null,
    fanoutWallMs: r2(fanout?.wallMs),
    analyse1kMs: analysis?.[0].ms ?? null,
    analyse1kHeapMB: analysis?.[0].heapMB ?? null,
    analyse60kMs: analysis?.[1].ms ?? null,
    analyse60kHeapMB: analysis?.[1].heapMB ?? null,
    handleTurnUsPerTurn: r2(results.core?.handleTurnUsPerTurn),
    cardExpandUsPerCard: r2(results.core?.cardExpandUsPerCard),
  };
}

/** The PostgreSQL phases, then the flood. */
function jsonOfPostgres(results: BenchResults, options: Options) {
  const { pg1, pg2, pgStore, fanout2, flood } = results;
  const { pgSave1k, pgSave60k, pgP99, pg2P99 } = keyFigures(results, options);
  const rounded = (n: number | null | undefined) => (n != null ? Math.round(n) : null);
  return {
    pgSkipped: results.pgSkipped,
    pgParticipants: pg1?.participants ?? pg2?.participants ?? null,
    pgTurnsPerSec: r2(pg1?.load.turnsPerSec),
    pgSaturatedP99Ms: r2(pg1?.load.latencies.p99),
    pgPacedTurnsPerSec: r2(pg1?.paced ? pacedRate(pg1.paced) : undefined),
    pgP99Ms: r2(pgP99),
    pg2TurnsPerSec: r2(pg2?.load.turnsPerSec),
    pg2SaturatedP99Ms: r2(pg2?.load.latencies.p99),
    pg2PacedTurnsPerSec: r2(pg2?.paced ? pacedRate(pg2.paced) : undefined),
    pg2P99Ms: r2(pg2P99),
    pgSave1kMs: pgSave1k ? round3(pgSave1k.medianMs) : null,
    pgSave60kMs: pgSave60k ? round3(pgSave60k.medianMs) : null,
    export60kMs: rounded(pgStore?.exportMs),
    export60kPeakRssMB: rounded(pgStore?.exportPeakRssMB),
    export60kFloorMs: rounded(pgStore?.exportFloorMs),
    export60kCpuMs: rounded(pgStore?.exportCpuMs),
    export60kFloorCpuMs: rounded(pgStore?.exportFloorCpuMs),
    exportStore: pgStore?.exportMs != null ? 'postgres' : null,
    fanout2Jobs: fanout2?.jobs ?? null,
    fanout2LimitPerSec: fanout2?.limitPerSec ?? null,
    fanout2RatePerSec: r2(fanout2?.ratePerSec),
    fanout2RateRatio: fanout2 ? round3(fanout2.rateRatio) : null,
    fanout2Lost: fanout2?.lost ?? null,
    fanout2Duplicates: fanout2?.duplicates ?? null,
    fanout2Throttled: fanout2?.throttled ?? null,
    floodP99Ms: r2(flood?.floodP99Ms),
    baselineP99Ms: r2(flood?.baselineP99Ms),
    floodRatio: flood ? round3(flood.ratio) : null,
    floodWarnings: flood?.floodWarnings ?? null,
  };
}

/** The `--json` line: every figure, null for what was not measured, and the targets. */
export function jsonLine(results: BenchResults, options: Options, targets: Targets): string {
  const figures = {
    ...jsonOfLoad(results, options),
    ...jsonOfLowdb(results, options),
    ...jsonOfPostgres(results, options),
  };
  return JSON.stringify({ ...figures, targets });
}

/** What fails the bench: a lost or duplicated invitation. */
export function failures(results: BenchResults): string[] {
  const { fanout, fanout2 } = results;
  const problems: string[] = [];
  if (fanout && !fanoutOk(fanout)) {
    const strays = fanout.strays ? ` and sent ${fanout.strays} other messages to invitees` : '';
    problems.push(
      `the invitation fan-out lost ${fanout.lost} and duplicated ${fanout.duplicates} invitations${strays}`,
    );
  }
  if (fanout2 && !fanout2Ok(fanout2)) {
    problems.push(`the two-instance fan-out lost ${fanout2.lost} and duplicated ${fanout2.duplicates} invitations`);
  }
  return problems;
}
