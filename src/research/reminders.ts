import type { Round } from '../content/schema.js';
import type { KeyEntry, Stores } from '../storage/ports.js';
import type { Outbox } from './outbox/outbox.js';
import type { OutboxJob } from './outbox/types.js';
import { reminderDue } from './schedule.js';

interface Candidate {
  pseudonym: string;
  entry: KeyEntry;
  /** From when reminders count: the invitation, or the consent of someone who joined an open round. */
  since: string;
}

/** Who has not finished: invited or started, not declined, not complete, and with a chat to write to. */
async function unfinished(round: Round, stores: Stores): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const { pseudonym, entry } of await stores.keys.participants(round.id)) {
    if (entry.declined) continue;
    const record = entry.code ? await stores.answers.getInterview(round.id, entry.code) : null;
    if (record?.completedAt) continue;
    const since = entry.invitedAt ?? record?.startedAt;
    if (since) out.push({ pseudonym, entry, since });
  }
  return out;
}

async function enqueue(round: Round, stores: Stores, outbox: Outbox, candidates: Candidate[], now: Date, tag: (c: Candidate) => string, counts: boolean): Promise<number> {
  const at = now.toISOString();
  const jobs: OutboxJob[] = [];
  for (const c of candidates) {
    const target = await stores.keys.target(c.pseudonym);
    if (!target) continue;
    jobs.push({ id: `remind:${round.id}:${c.pseudonym}:${tag(c)}`, kind: 'remind', roundId: round.id, pseudonym: c.pseudonym, target, status: 'pending', attempts: 0, notBefore: at, createdAt: at });
    await stores.keys.update(c.pseudonym, round.id, (e) => ({ ...e, remindersSent: (e?.remindersSent ?? 0) + (counts ? 1 : 0), lastReminderAt: at }));
  }
  const added = await outbox.enqueue(jobs);
  if (added) outbox.kick();
  return added;
}

/** The automatic reminders that are due now, in every open round (run by the bot's clock). */
export async function queueDueReminders(stores: Stores, outbox: Outbox, now: Date): Promise<number> {
  let count = 0;
  for (const round of await stores.answers.listRounds()) {
    if (round.status !== 'open') continue;
    const due = (await unfinished(round, stores)).filter((c) => reminderDue(round, c.entry, c.since, now));
    count += await enqueue(round, stores, outbox, due, now, (c) => String((c.entry.remindersSent ?? 0) + 1), true);
  }
  return count;
}

/**
 * A researcher's "remind now": everyone unfinished in the round, whatever the schedule, except who asked for "not
 * now" and is still in that pause. It does not use up the automatic reminders.
 */
export async function remindNow(round: Round, stores: Stores, outbox: Outbox, now: Date): Promise<number> {
  if (round.status !== 'open') return 0;
  const awake = (await unfinished(round, stores)).filter((c) => !c.entry.snoozedUntil || new Date(c.entry.snoozedUntil) <= now);
  return enqueue(round, stores, outbox, awake, now, () => `manual-${now.getTime()}`, false);
}
