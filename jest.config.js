import { availableParallelism } from 'node:os';

/** ESM TypeScript tests through ts-jest; lowdb 7 is ESM-only, so the whole project is ESM. */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: '<rootDir>/test/support/node-environment.mjs',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testTimeout: 30000,
  // Jest's default is one worker fewer than the cores: on a 2-core machine that is one, and every suite in band.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  // The CPU-bound suites on the workers, then the ones with databases, browsers and bot processes one at a time.
  runner: '<rootDir>/test/support/phased-runner.mjs',
  reporters: ['default', '<rootDir>/test/support/plain-summary-reporter.cjs'],
};
