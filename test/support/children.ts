import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/**
 * The child processes a test file started (bots, the Playground): they stay in the test's process group, so a
 * Ctrl-C reaches them too; stopChild() ends one, and a SIGKILL when the test process exits is the last resort.
 */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) signal(child, 'SIGKILL');
});

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Sends a signal unless the child has gone already. */
export function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (!isRunning(child)) return;
  try {
    child.kill(name);
  } catch {
    /* already gone */
  }
}

export function tracked(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export function exited(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Stops a child: the signal, then SIGKILL if it has not gone after graceMs. */
export async function stopChild(
  child: ChildProcess | undefined,
  name: NodeJS.Signals = 'SIGTERM',
  graceMs = 3000,
): Promise<void> {
  if (!child) return;
  signal(child, name);
  const timer = setTimeout(() => signal(child, 'SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

/** Starts a tracked Node.js child whose stdout and stderr are appended to a log file. */
export function spawnNodeLogged(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; log: string }) {
  const fd = openSync(options.log, 'a');
  try {
    return tracked(spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', fd, fd] }));
  } finally {
    closeSync(fd);
  }
}
