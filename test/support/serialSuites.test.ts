import { expect, test } from '@jest/globals';
import { isSerialSuite } from './serialSuites.mjs';

test.each([
  ['test/e2e/interview.e2e.test.ts', true],
  ['test/faults/killEmbedded.test.ts', true],
  ['test/storage/postgresContract.test.ts', true],
  ['test/privacy/withdrawal.test.ts', true],
  ['test/storage/lowdbContract.test.ts', false],
  ['test/privacy/dialog.test.ts', false],
  // Paths are below the project's root: a folder named like a serial one elsewhere in the path does not count.
  ['test/interview/e2e/engine.test.ts', false],
])('%s is serial: %s', (path, serial) => {
  expect(isSerialSuite(path)).toBe(serial);
});
