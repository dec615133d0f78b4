import { expect, test } from '@jest/globals';
import type { LoadResult } from '../../scripts/bench/load.js';
import { medians, shown } from '../../scripts/bench/shownRuns.js';

/** Which of a bot's runs the report's tables show, and the medians its headline figures are. */

const run = (turnsPerSec: number, cpuMs: number, p99: number, mainThreadMs: number | null = null) =>
  ({
    turns: 100,
    turnsPerSec,
    latencies: { p99 },
    server: {
      cpuUserMs: cpuMs * 100,
      cpuSystemMs: 0,
      mainThreadCpuMs: mainThreadMs === null ? null : mainThreadMs * 100,
    },
  }) as LoadResult;

test('the tables show the closed-loop run of median turns/s and the paced run of median p99', () => {
  const loads = [run(900, 1.2, 0), run(500, 2, 0), run(800, 1.4, 0)];
  const pacedRuns = [run(100, 3, 20), run(100, 3, 14), run(100, 3, 16)];
  const bot = shown({ loads, pacedRuns, name: 'wijzer' });
  expect(bot?.load).toBe(loads[2]);
  expect(bot?.paced).toBe(pacedRuns[2]);
  expect(bot?.name).toBe('wijzer');
});

test('the headline figures are each the median over the runs', () => {
  const loads = [run(900, 1.2, 0), run(500, 2, 0), run(800, 1.5, 0)];
  const figures = medians({ loads, pacedRuns: [run(100, 3, 20), run(100, 3, 14)] });
  expect(figures.turnsPerSec).toBe(800);
  expect(figures.cpuMsPerTurn).toBeCloseTo(1.5);
  expect(figures.pacedP99Ms).toBeCloseTo(17);
});

test("the main thread's CPU per turn is the median of the runs, and none when a run could not measure it", () => {
  const measured = [run(900, 1.2, 0, 0.9), run(500, 2, 0, 1.6), run(800, 1.5, 0, 1.1)];
  expect(medians({ loads: measured, pacedRuns: [] }).mainThreadCpuMsPerTurn).toBeCloseTo(1.1);
  const partly = [run(900, 1.2, 0, 0.9), run(500, 2, 0, null)];
  expect(medians({ loads: partly, pacedRuns: [] }).mainThreadCpuMsPerTurn).toBeNull();
});

test('a bot that did not run shows nothing and has no figures', () => {
  expect(shown(null)).toBeNull();
  expect(medians(null)).toEqual({
    turnsPerSec: null,
    cpuMsPerTurn: null,
    mainThreadCpuMsPerTurn: null,
    pacedP99Ms: null,
  });
  expect(shown({ loads: [], pacedRuns: [] })).toBeNull();
});
