// Jest's runner in two phases: the CPU-bound suites on every worker, then the serial ones (test/support/
// serialSuites.mjs) one at a time in this process, with nothing else running beside them. Those start databases,
// browsers and bot processes and kill them, and must not compete for a small machine's cores with other suites.
import { relative, sep } from 'node:path';
import TestRunner from 'jest-runner';
import { isSerialSuite } from './serialSuites.mjs';

const isSerial = (test) => isSerialSuite(relative(test.context.config.rootDir, test.path).split(sep).join('/'));

export default class PhasedRunner extends TestRunner {
  async runTests(tests, watcher, options) {
    // Jest asks for one process (--runInBand, one worker, or a few short suites): everything in band, in its order.
    if (options.serial) return super.runTests(tests, watcher, options);
    const parallel = tests.filter((test) => !isSerial(test));
    const serial = tests.filter(isSerial);
    if (parallel.length > 0) await super.runTests(parallel, watcher, options);
    if (serial.length > 0) await super.runTests(serial, watcher, { ...options, serial: true });
  }
}
