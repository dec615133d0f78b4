import base from './jest.config.js';

/**
 * `npm run test:unit`: the suites that need no PostgreSQL, no browser, no built bot (`npm run build`) and no
 * multi-process rig, for a quick loop while editing. `npm test` runs these and all the others.
 */
export default {
  ...base,
  // Jest takes one worker fewer than the cores; on a 2-core machine that is one, and these suites are CPU-bound.
  maxWorkers: 2,
  testPathIgnorePatterns: [
    '/node_modules/',
    // The Agents Playground in Chromium, or the built bot as a child process.
    '<rootDir>/test/e2e/',
    '<rootDir>/test/phone/',
    '<rootDir>/test/teams/bodyLimits\\.test\\.ts$',
    '<rootDir>/test/teams/logPrivacy\\.test\\.ts$',
    // 5,000 fuzzed activities over HTTP: minutes on a busy machine.
    '<rootDir>/test/teams/edgeFuzz\\.test\\.ts$',
    // kill -9, restarts and several instances, most of them on PostgreSQL.
    '<rootDir>/test/faults/',
    '<rootDir>/test/scale/',
    // Throw-away PostgreSQL databases (the privacy suites run on both stores).
    '<rootDir>/test/storage/postgres[^/]*\\.test\\.ts$',
    '<rootDir>/test/storage/pgRateGate\\.test\\.ts$',
    '<rootDir>/test/storage/moveStore\\.test\\.ts$',
    '<rootDir>/test/privacy/retention\\.test\\.ts$',
    '<rootDir>/test/privacy/withdrawal\\.test\\.ts$',
  ],
};
