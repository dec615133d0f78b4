import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Activity } from 'botbuilder';
import restify from 'restify';
import type { Config } from './config/env.js';
import { loadContent } from './content/load.js';
import { DigestComposer } from './digest/composer.js';
import { fontsRender } from './digest/heatmap.js';
import { InterviewSession } from './interview/session.js';
import { jsonBody } from './http/jsonBody.js';
import { Readiness } from './http/readiness.js';
import { log } from './log.js';
import { SignedExportLinks } from './research/exportLinks.js';
import { openOutbox, startScheduler } from './research/backgroundStart.js';
import { slotSpacingMs } from './research/outbox/pacedGate.js';
import { recordDelivery } from './research/deliveries.js';
import { ResearchService } from './research/researchService.js';
import { keyHousekeeping } from './research/retention.js';
import type { Scheduler } from './research/scheduler.js';
import { seedRounds } from './research/seedRounds.js';
import { openStores, type OpenStores } from './storage/open.js';
import { Pseudonyms } from './storage/pseudonyms.js';
import { pseudonymSecret, subKey } from './storage/secret.js';
import { activityRoute } from './teams/activityRoute.js';
import { createAdapter } from './teams/adapter.js';
import { admissionOf } from './teams/admission.js';
import { WijzerBot } from './teams/bot.js';
import { CardTemplates } from './teams/cardTemplates.js';
import { FloodLimiter } from './teams/floodLimiter.js';
import { InterviewDialog } from './teams/interviewDialog.js';
import { composeProactive } from './teams/proactiveMessages.js';
import { ResearchHandler } from './teams/researchHandler.js';
import { TeamsMessenger } from './teams/teamsMessenger.js';
import { tenantOf, userIdOf } from './teams/turnInput.js';

export interface RunningServer {
  url: string;
  /** The research clock: tests run a tick and wait for it instead of sleeping. */
  scheduler: Pick<Scheduler, 'tick' | 'idle'>;
  close(): Promise<void>;
}

/** Loads and validates all content before listening: a broken file stops the start, naming the file and place. */
export async function startServer(config: Config, given?: OpenStores): Promise<RunningServer> {
  // First: without credentials or WIJZER_LOCAL=1 nothing else is opened; a weak secret is refused next.
  const adapter = createAdapter(config);
  const secret = pseudonymSecret(config.PSEUDONYM_SECRET, config.KEY_DIR);
  const stores = given ?? (await openStores(config));
  const content = loadContent(config.CONTENT_DIR);
  stores.answers.keepExportCells?.(content);
  const cards = new CardTemplates(config.CONTENT_DIR);
  await seedRounds(content, stores.answers, new Date(), { local: config.localMode });
  const appId = config.MicrosoftAppId ?? '';
  const session = new InterviewSession(content, stores, subKey(secret, 'submit-fingerprint'));
  const pseudonyms = new Pseudonyms(secret);

  const digests = new DigestComposer(content, stores, config.CONTENT_DIR);
  if (!fontsRender())
    log.info('digest.fonts.missing', {
      hint: 'apt-get install -y fonts-dejavu-core: without a font the digest chart has no text',
    });

  const compose = composeProactive({ stores, session, digests, cards });
  const messenger = new TeamsMessenger(adapter, appId, compose, (job, id) => recordDelivery(stores, job, id));
  const pacing = { ratePerSec: config.OUTBOX_RATE_PER_SEC, headroom: config.OUTBOX_RATE_HEADROOM };
  const gate = stores.rateGate?.('teams-proactive', slotSpacingMs(pacing.ratePerSec, pacing.headroom));
  const outbox = await openOutbox(stores, messenger, { ...pacing, gate });
  // Interrupted withdrawals and unneeded targets are settled before the first turn; a failure is retried hourly.
  await keyHousekeeping(stores, new Date()).catch((err) => log.error('housekeeping.failed', err));

  const port = config.PORT;
  let localUrl = `http://localhost:${port}`;
  const exportLinks = new SignedExportLinks(
    secret,
    () => config.PUBLIC_URL ?? localUrl,
    content,
    stores,
    config.EXPORT_LINK_MINUTES,
  );
  const research = new ResearchService(
    content,
    stores,
    outbox,
    (tenant, user) => pseudonyms.of(tenant, user),
    config.RESEARCHER_IDS,
    exportLinks,
  );
  const flood = new FloodLimiter({
    ratePerSec: config.FLOOD_RATE_PER_SEC,
    burst: config.FLOOD_BURST,
    maxTracked: 50_000,
  });
  const floodKey = (activity: Partial<Activity>) => pseudonyms.of(tenantOf(activity), userIdOf(activity));
  const bot = new WijzerBot(
    new InterviewDialog(session, cards, pseudonyms),
    admissionOf(config),
    new ResearchHandler(research, cards),
    (activity) => flood.take(floodKey(activity)),
  );

  // Signed export tokens are longer than the router's default limit of 100 characters for a path parameter.
  const server = restify.createServer({ name: 'wijzer', maxParamLength: 1024 });
  // No server-wide body parser: only the bot's endpoint reads a body, bounded, as JSON.
  server.post(
    '/api/messages',
    jsonBody(),
    activityRoute(
      adapter,
      (context) => bot.run(context),
      (activity) => flood.shed(floodKey(activity)),
    ),
  );
  let stopping = false;
  // Liveness: the process answers. Readiness: the stores answer, and the instance is not shutting down.
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    next();
  });
  const readiness = new Readiness(async () => {
    await stores.ready?.();
    await stores.answers.listRounds();
    await stores.keys.researchers();
  });
  server.get('/readyz', async (_req, res) => {
    const answer = stopping ? { status: 'not ready', reason: 'shutting down' } : await readiness.answer();
    // Files moved aside while running: the bot serves, but an operator should look (a count, never a name).
    const quarantined = stores.quarantined?.() ?? 0;
    if (answer.status === 'ready' && quarantined) res.send(200, { status: 'degraded', quarantined });
    else res.send(answer.status === 'ready' ? 200 : 503, answer);
  });
  // A link works once (see SignedExportLinks); the file says what it is when it knows.
  server.get('/exports/:token', async (req, res) => {
    const file = await exportLinks.open(String((req.params as Record<string, unknown>).token)).catch((err: unknown) => {
      log.error('export.failed', err);
      return null;
    });
    if (!file) {
      res.send(404, { error: 'This link is unknown, used or expired: ask the bot for a new one.' });
      return;
    }
    const type = file.contentType ?? 'application/octet-stream';
    // The analysis report opens in the browser; the data files download under their own name and type.
    const inline = type.startsWith('text/html');
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename="${file.name.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      // Shown in the browser, the report may only use its own inline style and images: no script, no requests.
      ...(inline ? { 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:" } : {}),
    });
    // Rows go from the store to the response as the researcher's download takes them; a bad record met on the
    // way cuts the response off, so the download fails instead of ending short.
    await pipeline(Readable.from(file.chunks()), res).catch((err: unknown) => log.error('export.download.failed', err));
  });

  const scheduler = startScheduler(stores, outbox, config.SCHEDULER_INTERVAL_SEC);

  // Unauthenticated local mode is reachable from this machine only.
  await new Promise<void>((resolve) => {
    if (config.localMode) server.listen(port, '127.0.0.1', resolve);
    else server.listen(port, resolve);
  });
  stores.started?.();
  const address = server.address();
  localUrl = `http://localhost:${address.port}`;
  return {
    url: `http://127.0.0.1:${address.port}`,
    scheduler,
    // Graceful stop (SIGTERM): take no new turns, let those in flight finish, let a running send finish, close the stores.
    close: async () => {
      stopping = true;
      await scheduler.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      await outbox.stop();
      await stores.close();
    },
  };
}
