/**
 * A second sender as its own process, for test/scale/fanoutTwoInstances.test.ts (so that it can be SIGKILLed):
 * the built Outbox, PgOutboxStore, PgRateGate and TeamsMessenger, wired as src/server.ts wires them, draining one
 * round until nothing is left. Prints "ready" once its stores are open and waits for a line on stdin; then "sent <job id>" after each delivery
 * the connector accepted, "done" at the end.
 * Needs `npm run build`. Environment: DATABASE_URL, KEY_DATABASE_URL, ROUND, RATE, LEASE_MS, WORK_DIR.
 */
import { join } from 'node:path';
import { readConfig } from '../../dist/src/config/env.js';
import { Outbox } from '../../dist/src/research/outbox/outbox.js';
import { slotSpacingMs } from '../../dist/src/research/outbox/pacedGate.js';
import { openPostgresStores } from '../../dist/src/storage/postgres/index.js';
import { createAdapter } from '../../dist/src/teams/adapter.js';
import { TeamsMessenger } from '../../dist/src/teams/teamsMessenger.js';

const env = process.env;
const rate = Number(env.RATE);
const stores = await openPostgresStores({
  databaseUrl: env.DATABASE_URL,
  keyDatabaseUrl: env.KEY_DATABASE_URL,
  claimLeaseMs: Number(env.LEASE_MS),
});
const adapter = createAdapter(
  readConfig({ WIJZER_LOCAL: '1', DATA_DIR: join(env.WORK_DIR, 'data'), KEY_DIR: join(env.WORK_DIR, 'keys') }),
);
const onTurnError = adapter.onTurnError;
adapter.onTurnError = async (context, err) => {
  process.stdout.write('turnError\n');
  await onTurnError(context, err);
};
const teams = new TeamsMessenger(
  adapter,
  '',
  async (job) => [{ type: 'message', text: `Uitnodiging ${job.pseudonym}` }],
  async () => undefined,
);
const messenger = {
  async deliver(job) {
    const result = await teams.deliver(job);
    if (result.outcome === 'sent') process.stdout.write(`sent ${job.id}\n`);
    return result;
  },
};
const outbox = new Outbox(stores.outbox, messenger, {
  ratePerSec: rate,
  gate: stores.rateGate('teams-proactive', slotSpacingMs(rate)),
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
process.stdout.write('ready\n');
// The parent starts the other sender when this one is ready, then says go (a line on stdin).
await new Promise((resolve) => process.stdin.once('data', resolve));
const deadline = Date.now() + 45_000;
while (Date.now() < deadline) {
  await stores.outbox.recover();
  await outbox.drain();
  const open = (await stores.outbox.list(env.ROUND)).filter((j) => j.status === 'pending' || j.status === 'sending');
  if (!open.length) break;
  const next = Math.min(...open.map((j) => (j.status === 'pending' ? Date.parse(j.notBefore) : Date.now() + 250)));
  await sleep(Math.min(500, Math.max(20, next - Date.now())));
}
await outbox.stop();
await stores.close();
process.stdout.write('done\n');
