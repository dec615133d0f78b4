import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { JSONFile } from 'lowdb/node';

/**
 * One small lowdb JSON file per record: a turn rewrites one file of its own, so the cost of a save does not
 * grow with the number of stored interviews. lowdb's writer (steno) writes a temporary file and renames it,
 * so a crash leaves the old or the new version, never half a file.
 */
export async function readJson<T>(file: string): Promise<T | null> {
  return new JSONFile<T>(file).read();
}

const madeDirs = new Set<string>();

/** Creates a record's folder once per process, not on every write of the hot path. */
async function ensureDir(dir: string): Promise<void> {
  if (madeDirs.has(dir)) return;
  await mkdir(dir, { recursive: true });
  madeDirs.add(dir);
}

export async function writeJson<T>(file: string, data: T): Promise<void> {
  await ensureDir(dirname(file));
  await new JSONFile<T>(file).write(data);
}

export async function removeJson(file: string): Promise<void> {
  await rm(file, { force: true });
}

const writers = new Map<string, JSONFile<unknown>>();

/**
 * For a file that many turns change at once (a round's counters): one lowdb writer per file, which writes at
 * most one version at a time and skips versions overtaken by a newer one.
 */
export async function writeJsonCoalesced<T>(file: string, data: T): Promise<void> {
  let writer = writers.get(file);
  if (!writer) {
    await ensureDir(dirname(file));
    writer = writers.get(file) ?? new JSONFile<unknown>(file);
    writers.set(file, writer);
  }
  await writer.write(data);
}
