import type { Messenger } from '../ports/outbox.js';
import type { Stores } from '../ports/stores.js';
import { log } from '../log.js';
import { Outbox, type OutboxOptions } from './outbox/outbox.js';
import { researchSteps, Scheduler } from './scheduler.js';

/** The outbox that sends invitations, reminders and digests; what a crash left mid-send is settled first. */
export async function openOutbox(stores: Stores, messenger: Messenger, options: OutboxOptions): Promise<Outbox> {
  const outbox = new Outbox(stores.outbox, messenger, options);
  const recovered = await stores.outbox.recover();
  if (recovered) log.info('outbox.recovered', { uncertain: recovered });
  return outbox;
}

/** The research clock: every `intervalSec` it recovers, cleans up, queues reminders and digests and drains. */
export function startScheduler(stores: Stores, outbox: Outbox, intervalSec: number): Scheduler {
  const scheduler = new Scheduler(researchSteps(stores, outbox));
  scheduler.start(intervalSec * 1000);
  return scheduler;
}
