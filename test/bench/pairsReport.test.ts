import { expect, test } from '@jest/globals';
import type { LoadResult } from '../../scripts/bench/load.js';
import { printPairs, ratioLine } from '../../scripts/bench/pairsReport.js';

/** The report's lines on the pairs of runs the ratios to the echo bot come from. */

const run = (turnsPerSec: number, p99: number, otherCpuMs: number | null) =>
  ({
    turns: 1000,
    turnsPerSec,
    wallMs: 1000,
    otherCpuMs,
    latencies: { p99 },
    server: { cpuUserMs: 1000, cpuSystemMs: 0 },
  }) as LoadResult;

const results = (wijzer: LoadResult[], echo: LoadResult[]) => ({
  wijzer: { loads: wijzer, pacedRuns: wijzer },
  echo: { loads: echo, pacedRuns: echo },
});

test('a ratio line lists every pair and their median', () => {
  const echo = [run(1000, 8, 0), run(1000, 8, 0), run(1000, 8, 0)];
  const both = results([run(700, 14, 0), run(300, 40, 900), run(800, 16, 0)], echo);
  expect(ratioLine(both, 'throughput')).toBe('pairs 0.70, 0.30, 0.80: median 0.70');
  expect(ratioLine(both, 'p99')).toBe('pairs 1.75x, 5.00x, 2.00x: median 2.00x');
});

test('one pair is named as such; without the echo bot there is no line', () => {
  expect(ratioLine(results([run(700, 14, 0)], [run(1000, 8, 0)]), 'cpu')).toBe('one pair: median 1.00x');
  const alone = { wijzer: { loads: [run(700, 14, 0)], pacedRuns: [] }, echo: null };
  expect(ratioLine(alone, 'throughput')).toBeNull();
});

test("each pair's line says how busy the rest of the machine was during both runs", () => {
  const lines: string[] = [];
  printPairs(results([run(700, 14, 900)], [run(1000, 8, null)]), (line = '') => lines.push(line));
  expect(lines).toContain(
    '    closed loop 1: 700 vs 1000 turns/s, server CPU 1.00 vs 1.00 ms/turn; other work 90% / –',
  );
  expect(lines).toContain('    paced 1: p99 14.0 vs 8.0 ms; other work 90% / –');
});

test("with the durable echo bot, each pair's line ends with its run of the same round", () => {
  const lines: string[] = [];
  const durable = [run(900, 20, 0)];
  printPairs(
    { ...results([run(700, 14, 0)], [run(1000, 8, 0)]), durableEcho: { loads: durable, pacedRuns: durable } },
    (line = '') => lines.push(line),
  );
  expect(lines).toContain(
    '    closed loop 1: 700 vs 1000 turns/s, server CPU 1.00 vs 1.00 ms/turn; other work 0% / 0%; ' +
      'durable echo bot 900 turns/s, 1.00 ms/turn',
  );
  expect(lines).toContain('    paced 1: p99 14.0 vs 8.0 ms; other work 0% / 0%; durable echo bot 20.0 ms');
});
