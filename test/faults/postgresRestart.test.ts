/**
 * PostgreSQL restarted in the middle of a load run, on a private cluster of this test's own
 * (test/support/privateCluster.ts; the machine's shared cluster is never touched). Six participants answer
 * without pause and 30 invitations are being sent when the server crashes and comes back three seconds later.
 * Turns during the outage get "probeer het zo nog eens"; no acknowledged answer is lost; no invitation is sent
 * twice; and the same bot process serves again without a restart.
 *
 * Needs `npm run build` (it runs dist/src/main.js) and PostgreSQL installed (not running).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { createDatabasePair, type DatabasePair } from '../../scripts/support/pgDatabases.js';
import { MockConnector } from '../../scripts/support/mockConnector.js';
import type { OutboxJob } from '../../src/ports/outbox.js';
import { rowsOf, storedInterview } from '../support/postgres.js';
import { PrivateCluster } from '../support/privateCluster.js';
import { crashParticipant, promisesBroken, REPO_ROOT, Supervisor, type CrashRun } from './crashRig.js';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { only } from '../support/defined.js';

const INVITATIONS = 30;
let cluster: PrivateCluster;
let pair: DatabasePair;
let connector: MockConnector;
let root = '';
let failed = true;
const secret = randomBytes(32).toString('hex');

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'wijzer-pg-restart-'));
  cluster = await PrivateCluster.start();
  process.env.WIJZER_PRIVATE_PG_URL = cluster.url;
  pair = await createDatabasePair({ prefix: 'wijzer_restart_', envVariables: ['WIJZER_PRIVATE_PG_URL'] });
  connector = await MockConnector.start();
}, 120_000);
afterAll(async () => {
  delete process.env.WIJZER_PRIVATE_PG_URL;
  await connector?.close();
  await cluster?.destroy();
  if (failed) console.log(`postgresRestart failed: bot log kept in ${root}`);
  else await rm(root, { recursive: true, force: true });
}, 60_000);

test('PostgreSQL restarts mid-load: "probeer het zo nog eens" meanwhile, nothing acknowledged lost, no invitation twice, served again without a restart', async () => {
  const bot = await Supervisor.create('bot', root, {
    DATABASE_URL: pair.databaseUrl,
    KEY_DATABASE_URL: pair.keyDatabaseUrl,
    PSEUDONYM_SECRET: secret,
    CONTENT_DIR: REPO_ROOT,
    DATA_DIR: path.join(root, 'data'),
    KEY_DIR: path.join(root, 'keys'),
    SCHEDULER_INTERVAL_SEC: '1',
    OUTBOX_RATE_PER_SEC: '3',
    PG_CONNECT_TIMEOUT_MS: '1000',
    WIJZER_QUIET: '1',
  });
  try {
    await bot.ready();
    // Invitations queued for people with an open chat: the bot's scheduler sends them, 3 a second, through the outage.
    const now = new Date().toISOString();
    const jobs: OutboxJob[] = Array.from({ length: INVITATIONS }, (_, n) => {
      const pseudonym = pseudonymOf(Buffer.from(secret, 'hex'), 'restart-tenant', `29:invitee-${n}`);
      return {
        id: `invite:default:${pseudonym}`,
        kind: 'invite',
        roundId: 'default',
        pseudonym,
        status: 'pending',
        attempts: 0,
        notBefore: now,
        createdAt: now,
        target: {
          channelId: 'msteams',
          serviceUrl: connector.url,
          tenantId: 'restart-tenant',
          userId: `29:invitee-${n}`,
          conversationId: `a:invitee-chat-${n}`,
          conversationType: 'personal',
        },
      };
    });
    for (const job of jobs)
      await rowsOf(pair.keyDatabaseUrl, 'INSERT INTO outbox (id, job) VALUES ($1, $2)', [job.id, JSON.stringify(job)]);

    const outage = { from: 0, to: 0 };
    // Six participants start interview after interview until the outage is over, so that it falls in their turns.
    const done: CrashRun[] = [];
    let next = 0;
    const players = Array.from({ length: 6 }, async () => {
      while (!outage.to) {
        const n = next++;
        done.push(
          await crashParticipant(
            {
              userId: `29:restart-${n}`,
              userName: `Deelnemer ${n}`,
              conversationId: `a:restart-chat-${n}`,
              tenantId: 'restart-tenant',
              serviceUrl: connector.url,
              locale: n % 2 ? 'en-US' : 'nl-NL',
            },
            connector,
            async () => bot.url,
            500 + n,
          ),
        );
      }
    });
    await sleep(1500);
    outage.from = Date.now();
    await cluster.stopServer('immediate');
    await sleep(3000);
    await cluster.startServer();
    outage.to = Date.now();
    await Promise.all(players);
    expect(outage.to).toBeGreaterThan(outage.from);

    // Turns during the outage were told to try again, in their language.
    const told = done.flatMap((r) => r.tryAgain);
    expect(told.length).toBeGreaterThan(0);
    for (const run of done) {
      const dutch = run.identity.locale === 'nl-NL';
      for (const text of run.tryAgain)
        expect(text).toMatch(dutch ? /probeer het zo nog eens/i : /try again in a moment/i);
    }
    // Nothing acknowledged was lost, every interview was completed.
    const stored = storedInterview(pair, secret);
    expect(await promisesBroken(done, stored)).toEqual([]);

    // Every invitation went out, none twice.
    for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
      const open = await rowsOf<{ n: string }>(
        pair.keyDatabaseUrl,
        `SELECT count(*) AS n FROM outbox WHERE status IN ('pending', 'sending')`,
      );
      if (Number(only(open, 'count row').n) === 0) break;
      await sleep(500);
    }
    const perChat = jobs.map((j) => connector.sentSince(j.target.conversationId!, 0).length);
    expect(perChat.filter((n) => n > 1)).toEqual([]);
    const statuses = (await rowsOf<{ status: string }>(pair.keyDatabaseUrl, 'SELECT status FROM outbox')).map(
      (r) => r.status,
    );
    expect(statuses.filter((s) => s !== 'sent' && s !== 'uncertain')).toEqual([]);
    expect(perChat.filter((n) => n === 1).length).toBeGreaterThanOrEqual(statuses.filter((s) => s === 'sent').length);

    // The same process serves again: it was started once and answers ready.
    expect(bot.starts).toBe(1);
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    console.log(
      `postgresRestart: outage ${outage.to - outage.from} ms, ${done.reduce((n, r) => n + r.turns, 0)} turns, ${told.length} told to try again, ${done.reduce((n, r) => n + r.acknowledged.length, 0)} acknowledged answers, invitations ${statuses.filter((s) => s === 'sent').length} sent / ${statuses.filter((s) => s === 'uncertain').length} uncertain`,
    );
    failed = false;
  } finally {
    await bot.stop();
  }
}, 600_000);
