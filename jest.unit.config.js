import base from './jest.config.js';
import { SERIAL_SUITES } from './test/support/serialSuites.mjs';

/**
 * `npm run test:unit`: the suites that need no PostgreSQL, no browser, no built bot (`npm run build`) and no
 * multi-process rig, for a quick loop while editing. `npm test` runs these and all the others.
 */
export default {
  ...base,
  testPathIgnorePatterns: ['/node_modules/', ...SERIAL_SUITES.map((pattern) => `<rootDir>/${pattern}`)],
};
