import { readFileSync } from 'node:fs';

/** Linux's clock ticks per second in /proc CPU times (USER_HZ, 100 on the kernels Node runs on). */
const TICKS_PER_SEC = 100;

/**
 * CPU time so far of this process's main thread, the one that runs JavaScript, in ms (user and system, 10 ms
 * resolution): process.cpuUsage() less V8's garbage-collection helper threads and libuv's file-system threads.
 * Null where /proc cannot tell (not Linux).
 */
export function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // The fields after the thread's name (which may hold spaces): utime and stime are the 14th and 15th of all.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SEC : null;
  } catch {
    return null;
  }
}
