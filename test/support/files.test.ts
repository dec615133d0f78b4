import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from '@jest/globals';
import { scanFiles } from './files.js';

/** The privacy scans read stores beside a running bot, whose checkpoint renames temporary files meanwhile. */

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

test('a file renamed away between listing and reading starts the pass again, and its new name is read', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wijzer-scanfiles-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'A.json'), '{"name":"Alex Wilber"}');
  let listings = 0;
  // The first listing names a temporary file that a checkpoint has renamed by the time it is read.
  const list = () => (++listings === 1 ? [path.join(dir, '.A.json.1-1.tmp')] : [path.join(dir, 'A.json')]);
  expect(await scanFiles(list, ['alex wilber'])).toEqual([`${path.join(dir, 'A.json')}: alex wilber`]);
  expect(listings).toBe(2);
});

test('a file that stays gone is an error, not a clean scan', async () => {
  const missing = path.join(os.tmpdir(), 'wijzer-scanfiles-nothing-here.json');
  await expect(scanFiles(() => [missing], ['x'])).rejects.toThrow(/ENOENT/);
});
