import { expect, test } from '@jest/globals';
import { Worker } from 'node:worker_threads';
import { mainThreadCpuMs } from '../../scripts/support/threadCpu.js';

/** The bench's split of a server's CPU: the main thread's own time, apart from the process's other threads. */

/** Burns this much of the process's CPU time (not wall time: on a busy machine the two differ). */
const spin = (ms: number) => {
  const start = process.cpuUsage();
  const used = () => {
    const { user, system } = process.cpuUsage(start);
    return (user + system) / 1000;
  };
  while (used() < ms);
};

test("counts the main thread's CPU and not what another thread of the process burns", async () => {
  const before = mainThreadCpuMs();
  expect(before).not.toBeNull();
  const processBefore = process.cpuUsage();
  // Another thread of this process spins for 400 ms while the main thread only waits for it.
  const worker = new Worker(
    'const end = Date.now() + 400; while (Date.now() < end); require("node:worker_threads").parentPort.postMessage(1);',
    { eval: true },
  );
  await new Promise((done) => worker.once('message', done));
  await worker.terminate();
  const waited = mainThreadCpuMs()! - before!;
  const processUsed = process.cpuUsage(processBefore);
  expect((processUsed.user + processUsed.system) / 1000).toBeGreaterThan(300);
  expect(waited).toBeLessThan(200);
  // The main thread's own work is counted (10 ms ticks).
  const busyBefore = mainThreadCpuMs()!;
  spin(300);
  expect(mainThreadCpuMs()! - busyBefore).toBeGreaterThanOrEqual(200);
});
