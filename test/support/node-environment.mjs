// Jest's node environment, which also disables, when a test file ends, every AsyncLocalStorage the file enabled.
// Node keeps each enabled AsyncLocalStorage in one process-wide list and calls all of them for every promise and
// callback created afterwards. jest-circus enables a new one for each test file (its test execution context) and
// never disables it, and so does src/log.ts (a turn's scope) in a file that runs turns: left enabled, each later
// file in the same worker pays for all the earlier ones (two more calls per promise with every file).
import { AsyncLocalStorage } from 'node:async_hooks';
import { TestEnvironment } from 'jest-environment-node';

const enabledStorages = new Set();

// run() and enterWith() are how an AsyncLocalStorage gets enabled: note which ones were, once per worker.
for (const method of ['run', 'enterWith']) {
  const original = AsyncLocalStorage.prototype[method];
  AsyncLocalStorage.prototype[method] = function (...args) {
    enabledStorages.add(this);
    return original.apply(this, args);
  };
}

export default class NodeEnvironment extends TestEnvironment {
  async teardown() {
    await super.teardown();
    for (const storage of enabledStorages) storage.disable();
    enabledStorages.clear();
  }
}
