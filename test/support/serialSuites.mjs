// The suites that need PostgreSQL, a browser, the built bot (`npm run build`) or a multi-process rig. `npm test`
// runs them one at a time after the others (test/support/phased-runner.mjs); `npm run test:unit` leaves them out.
// Each is a pattern for the path below the project's root.
export const SERIAL_SUITES = [
  // The Agents Playground in Chromium, or the built bot as a child process.
  'test/e2e/',
  'test/phone/',
  'test/teams/bodyLimits\\.test\\.ts$',
  'test/teams/logPrivacy\\.test\\.ts$',
  // 5,000 fuzzed activities over HTTP: minutes on a busy machine.
  'test/teams/edgeFuzz\\.test\\.ts$',
  // kill -9, restarts and several instances, most of them on PostgreSQL.
  'test/faults/',
  'test/scale/',
  // Throw-away PostgreSQL databases (the privacy suites run on both stores).
  'test/storage/postgres[^/]*\\.test\\.ts$',
  'test/storage/pg[A-Z][^/]*\\.test\\.ts$',
  'test/storage/moveStore\\.test\\.ts$',
  'test/privacy/retention\\.test\\.ts$',
  'test/privacy/withdrawal\\.test\\.ts$',
];

const patterns = SERIAL_SUITES.map((pattern) => new RegExp(`^${pattern}`));

/** Whether a suite, by its path below the project's root (forward slashes), is one of the serial ones. */
export const isSerialSuite = (pathInProject) => patterns.some((pattern) => pattern.test(pathInProject));
