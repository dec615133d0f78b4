/** ESM TypeScript tests through ts-jest; lowdb 7 is ESM-only, so the whole project is ESM. */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: '<rootDir>/test/support/node-environment.mjs',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/plain-summary-reporter.cjs'],
};
