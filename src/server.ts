import restify from 'restify';
import type { Config } from './config/env.js';
import { loadContent } from './content/load.js';
import { InterviewSession } from './interview/session.js';
import { seedRounds } from './research/seedRounds.js';
import { openLowdbStores } from './storage/lowdb/index.js';
import type { Stores } from './storage/ports.js';
import { pseudonymSecret } from './storage/secret.js';
import { createAdapter } from './teams/adapter.js';
import { WijzerBot } from './teams/bot.js';
import { CardTemplates } from './teams/cardTemplates.js';
import { InterviewDialog } from './teams/interviewDialog.js';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Loads and validates all content before listening: a broken file stops the start, naming the file and place. */
export async function startServer(config: Config, stores: Stores = openLowdbStores(config.DATA_DIR, config.KEY_DIR)): Promise<RunningServer> {
  const content = loadContent(config.CONTENT_DIR);
  const cards = new CardTemplates(config.CONTENT_DIR);
  const secret = pseudonymSecret(config.PSEUDONYM_SECRET, config.KEY_DIR);
  await seedRounds(content, stores.answers, new Date());
  const bot = new WijzerBot(new InterviewDialog(new InterviewSession(content, stores), cards, secret), config.ALLOWED_TENANT_IDS);
  const adapter = createAdapter(config);

  const server = restify.createServer({ name: 'wijzer' });
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    next();
  });
  await new Promise<void>((resolve) => server.listen(config.PORT, resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stores.close();
    },
  };
}
