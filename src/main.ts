import { loadDotEnv } from './config/dotenv.js';
import { readConfig } from './config/env.js';
import { log } from './log.js';
import { startServer } from './server.js';

// A .env in the working directory fills in what the environment does not set (the environment wins).
loadDotEnv();
try {
  const config = readConfig();
  const server = await startServer(config);
  log.info('started', { url: server.url, mode: config.localMode ? 'local (no app credentials)' : 'azure-bot-service' });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    log.info('stopping');
    void server.close().then(() => process.exit(0), (err) => {
      log.error('stop.failed', err);
      process.exit(1);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
