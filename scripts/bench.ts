/**
 * Wijzer's benchmark: `npm run bench` (a table) or `npm run bench -- --json` (the last stdout line is JSON).
 *
 *   a. Wijzer: the real server (startServer, lowdb store in a temp dir) in a child process; simulated participants
 *      (default 200) doing whole interviews over keep-alive HTTP; the bot replies to a mock Bot Connector. A turn's
 *      latency is the POST round trip: CloudAdapter answers after the turn, replies included. Two runs, below.
 *      At the end every interview of both runs must be complete in the store, or the bench fails.
 *   b. A bare botbuilder echo bot (ActivityHandler, CloudAdapter, restify, same mock connector) in a child
 *      process: the same participants, the same number of turns each, the same two runs. Beside it the durable
 *      echo bot: the same bot writing one 3.8 KB file of the participant's through the embedded store's journal
 *      (durable, checkpointed) before it echoes. Not a target: the floor that a durable write a turn sets on this
 *      disk in this run (durableEcho*: its CPU and paced p99, and their ratios to the echo bot's, pair by pair).
 *      a and b together (scripts/bench/bots.ts): both servers start and warm up first; then --repeats (3)
 *      closed-loop pairs and as many paced pairs, each pair a Wijzer run next to an echo run, Wijzer first in
 *      every other pair, the echo bot first in the others. Each run has new participants; it ends with the
 *      server's leftover work (the embedded store's checkpoint) done and counted in its CPU. The ratios to the
 *      echo bot are taken within each pair and reported as the median of the pairs (each pair's ratio is printed
 *      and in the JSON): other work on the machine that slows one run slows its pair's other run too, or
 *      disturbs one pair out of three, so the ratios depend on that work far less than runs minutes apart.
 *   c. LowdbAnswerStore.saveInterview of a real record (from run a) with 1,000 and 60,000 interviews stored.
 *   d. The researcher's invitation fan-out (scripts/support/fanout.ts): the production Outbox, LowdbOutboxStore and
 *      TeamsMessenger on a CloudAdapter against a mock Bot Connector that answers 429 + Retry-After past a rate
 *      limit set below the outbox's rate: the Outbox sends 30 invitations/s, each to a new chat (createConversation
 *      + send: 2 requests), against 40 requests/s, so 429s really happen, and 600 invitations take about 35 s (with
 *      --fanout-limit 20 about 65 s). Reported: the send rate against the limit, the 429s the mock answered and
 *      those the outbox saw, losses and duplicates. A lost or duplicated invitation fails the bench.
 *   analysis: timeAnalysis (src/analysis/bench.ts) of 1,000 and --large (60,000) synthetic sorts of 32
 *      statements, in this process: analyse1kMs, analyse60kMs (+ heap MB). Targets: under 1 s and under 10 s.
 *   PostgreSQL, on two throw-away, migrated databases (scripts/support/pgDatabases.ts: BENCH_DATABASE_URL
 *      or TEST_DATABASE_URL, else Debian's cluster on this machine, started as root as the tests do; where there is
 *      none the PostgreSQL phases are skipped, saying why), dropped at the end:
 *   pg:  phase a's closed loop and paced run against one server process in PostgreSQL mode (DATABASE_URL,
 *        KEY_DATABASE_URL, PSEUDONYM_SECRET) with --pg-participants (100, fewer than a's 200 to keep the whole bench
 *        near 6 minutes): pgTurnsPerSec, pgP99Ms (paced). CPU used by PostgreSQL shows as "rest of the machine".
 *   pg2: the same with two server processes on the same databases, the load generator sending each turn to the
 *        next instance (round robin per request): pg2TurnsPerSec, pg2P99Ms.
 *   pgsave: PgAnswerStore.saveInterview with 1,000, then 60,000 copies of a real record in one round (bulk INSERT
 *        ... SELECT over distinct letter codes): pgSave1kMs, pgSave60kMs (medians).
 *   export: the CSV export of that round's 60,000 completed interviews as the CLI writes it (exportTo, streamed, to
 *        sinks that count bytes), in a process of its own: export60kMs and its peak RSS export60kPeakRssMB; and the
 *        floor, the same rows read from PostgreSQL (listInterviews) and dropped in another process: export60kFloorMs.
 *   fanout2: scripts/support/fanout2.ts, two instances' outboxes (two openPostgresStores) with the shared rate
 *        gate draining --fanout2-jobs (200) invitations against the mock connector limited to --fanout2-limit (40)
 *        requests/s: fanout2RateRatio (achieved over the limit), fanout2Lost, fanout2Duplicates (a loss fails),
 *        fanout2Throttled (the mock's 429s); the text report adds each outbox step's time per call.
 *      Targets: p99 under 50 ms (one and two instances), two instances at least 0.9 of one's throughput, save at
 *      60k within 1.5x of 1k, export of 60k under 2 s, fan-out at 0.95 of the limit or more, 0 lost, 0 duplicates.
 *
 * Why two runs per bot. Two targets cannot be measured by a single load:
 *   - Capacity ("at least half the echo bot's throughput") needs the server saturated: a closed loop, every
 *     participant sending its next turn the moment the last one is answered, no think time. turns/s is then the
 *     server's capacity. Its latencies are not the server's, though: with N participants always waiting, Little's
 *     law gives a mean latency of N / throughput (200 / 200 turns/s = 1 s) for any server, however fast; the p99
 *     of that run (`saturatedP99Ms`) only says how fairly the queue is served.
 *   - Latency ("p99 turn latency under 50 ms") means something only below capacity, as in Teams, where people read
 *     and fill in a card between turns. The paced run: the same participants and interviews, starting spread over
 *     --ramp ms and thinking --think ms (uniformly ±50%, seeded) before every turn after the first. Each participant
 *     then offers about 1000 / think turns/s, so N participants offer N * 1000 / think turns/s (`offeredTurnsPerSec`,
 *     printed next to the measured capacity); `pacedTurnsPerSec` is the rate measured while all participants were
 *     mid-interview. The default think time keeps the offered load near half of Wijzer's capacity on this 2-core
 *     machine: 1,000 ms would offer 200 turns/s, as much as Wijzer can serve, and measure queueing again.
 *     `p99Ms` is this run's p99; the echo bot gets the same paced load (`echoP99Ms`).
 *
 * The servers run in their own process (scripts/bench/serverChild.ts, forked), so that the load generator and the
 * mock connector (this process) and the server under test each have a core of this 2-core machine. Before a
 * closed-loop run the load generator opens its keep-alive connections (as the Bot Connector keeps its own), and
 * the bench reports how much CPU the rest of the machine used meanwhile: figures taken next to other work are
 * flagged as disturbed. The targets are printed, never asserted; a failed turn, an incomplete interview, or a lost
 * or duplicated invitation fails the bench (exit code 1).
 *
 * Options: `npm run bench -- --help` (scripts/bench/options.ts); an unknown option is refused (exit code 2).
 * `--soak MINUTES` runs only the soak (scripts/bench/soak.ts): interviews at a steady rate, the bot killed and
 * restarted every 2 minutes; not part of CI.
 *
 * The phases are scripts/bench/*.ts, each returning its figures; scripts/bench/report.ts prints them.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { ROOT, WATCHDOG_MS } from './bench/constants.js';
import { BenchArgs, SWITCHES, USAGE, type Options } from './bench/options.js';
import { runPhases } from './bench/phases.js';
import type { BenchResults } from './bench/results.js';
import { failures, jsonLine, printHeader, printResults, printTargets, targetsOf } from './bench/report.js';
import { running } from './bench/serverProcess.js';
import { argsOrExit, processIo, type Io } from './support/cli.js';
import { MockConnector } from './support/mockConnector.js';

/** Runs the phases with a temp dir and a mock connector, cleaned up however the bench ends. */
async function runBench(options: Options, say: (line?: string) => void): Promise<BenchResults> {
  const tmp = mkdtempSync(join(tmpdir(), 'wijzer-bench-'));
  const connector = await MockConnector.start({ keepPerConversation: 6 });
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  const cleanup = async () => {
    for (const server of running) server.kill();
    await connector.close().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  };
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${WATCHDOG_MS / 60_000} minutes; stopping`);
    for (const server of running) server.kill();
    rmSync(tmp, { recursive: true, force: true });
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }
  try {
    return await runPhases(options, { tmp, connector, say });
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }
}

/** Returns the exit code: 0 done, 1 the bench failed, 2 bad arguments. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const got = argsOrExit(BenchArgs, argv, USAGE, io, SWITCHES);
  if ('exit' in got) return got.exit;
  const options = got.args;
  if (options.soakMinutes !== null) {
    await (await import('./bench/soak.js')).soakMain(options.soakMinutes, ROOT, options.json);
    return Number(process.exitCode ?? 0);
  }
  const say = (line = '') => io.out(line);
  const startedAt = performance.now();
  printHeader(options, say);
  const results = await runBench(options, say);
  printResults(results, options, say);
  const targets = targetsOf(results, options);
  printTargets(results, options, targets, say, performance.now() - startedAt);
  if (options.json) io.out(jsonLine(results, options, targets));
  const problems = failures(results);
  for (const problem of problems) io.err(`bench failed: ${problem}`);
  return problems.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  });
}
