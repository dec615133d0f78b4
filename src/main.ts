import { loadDotEnv } from './config/dotenv.js';
import { readConfig } from './config/env.js';
import { log, routeConsoleToLog } from './log.js';
import { startServer } from './server.js';

// A .env in the working directory fills in what the environment does not set (the environment wins).
loadDotEnv();

/** Where in the code a failure came from: the first frames of its stack (code locations, no data). */
const whereOf = (err: unknown): string =>
  err instanceof Error && err.stack
    ? err.stack
        .split('\n')
        .slice(1, 6)
        .map((l) => l.trim())
        .join(' < ')
    : '';

routeConsoleToLog();
// A promise nobody awaited failed: log it and keep serving; the work it belonged to is retried by its owner
// (the scheduler's next tick, the participant's next turn).
process.on('unhandledRejection', (reason) =>
  log.error('process.unhandledRejection', reason, { where: whereOf(reason) }),
);
// A throw outside any promise leaves the process in an unknown state: log it and exit, the supervisor restarts.
process.on('uncaughtException', (err, origin) => {
  log.error('process.uncaughtException', err, { origin, where: whereOf(err) });
  process.exit(1);
});

try {
  const config = readConfig();
  const server = await startServer(config);
  log.info('started', { url: server.url, mode: config.localMode ? 'local (no app credentials)' : 'azure-bot-service' });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    log.info('stopping');
    void server.close().then(
      () => process.exit(0),
      (err) => {
        log.error('stop.failed', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (err) {
  // A start that fails (bad environment, broken content) says why in plain words, as before.
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
