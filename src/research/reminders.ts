import type { Round } from '../content/schema.js';
import type { KeyEntry, Stores } from '../ports/stores.js';
import type { Outbox } from './outbox/outbox.js';
import type { OutboxJob } from '../ports/outbox.js';
import { reminderDue } from './schedule.js';

interface Candidate {
  pseudonym: string;
  entry: KeyEntry;
  /** From when reminders count: the invitation, or the consent of someone who joined an open round. */
  since: string;
}

/** Those not finished who get no reminder, by reason: counts only. */
export interface Skipped {
  declined: number;
  snoozed: number;
  /** No chat to write to. */
  unreachable: number;
  /** Their invitation has not arrived (still queued, or Teams refused it: see status). */
  notDelivered: number;
}

/** Who has not finished: invited or started, not declined, not complete, and with a chat to write to. */
async function unfinished(round: Round, stores: Stores, skipped?: Skipped): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const { pseudonym, entry } of await stores.keys.participants(round.id)) {
    const record = entry.code ? await stores.answers.getInterview(round.id, entry.code) : null;
    if (record?.completedAt) continue;
    if (entry.declined) {
      if (skipped) skipped.declined++;
      continue;
    }
    const since = entry.invitedAt ?? record?.startedAt;
    if (since) out.push({ pseudonym, entry, since });
    else if (skipped) skipped.notDelivered++;
  }
  return out;
}

async function enqueue(
  round: Round,
  stores: Stores,
  outbox: Outbox,
  candidates: Candidate[],
  now: Date,
  tag: (c: Candidate) => string,
  counts: boolean,
): Promise<number> {
  const at = now.toISOString();
  const jobs: OutboxJob[] = [];
  for (const c of candidates) {
    const target = await stores.keys.target(c.pseudonym);
    if (!target) continue;
    jobs.push({
      id: `remind:${round.id}:${c.pseudonym}:${tag(c)}`,
      kind: 'remind',
      roundId: round.id,
      pseudonym: c.pseudonym,
      target,
      status: 'pending',
      attempts: 0,
      notBefore: at,
      createdAt: at,
    });
    // An entry that went meanwhile (a withdrawal) is not recreated.
    await stores.keys.update(c.pseudonym, round.id, (e) =>
      e ? { ...e, remindersSent: (e.remindersSent ?? 0) + (counts ? 1 : 0), lastReminderAt: at } : null,
    );
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

/** What a researcher's "remind now" did: how many reminders were queued, and who was skipped and why. */
export interface RemindResult {
  queued: number;
  skipped: Skipped;
}

/**
 * A researcher's "remind now": everyone unfinished in the round, whatever the schedule, except who said no, who
 * asked for "not now" and is still in that pause, who has no chat to write to, and whose invitation has not arrived.
 * It does not use up the automatic reminders.
 */
export async function remindNow(round: Round, stores: Stores, outbox: Outbox, now: Date): Promise<RemindResult> {
  const skipped: Skipped = { declined: 0, snoozed: 0, unreachable: 0, notDelivered: 0 };
  if (round.status !== 'open') return { queued: 0, skipped };
  const awake: Candidate[] = [];
  for (const c of await unfinished(round, stores, skipped)) {
    if (c.entry.snoozedUntil && new Date(c.entry.snoozedUntil) > now) skipped.snoozed++;
    else if (!(await stores.keys.target(c.pseudonym))) skipped.unreachable++;
    else awake.push(c);
  }
  return { queued: await enqueue(round, stores, outbox, awake, now, () => `manual-${now.getTime()}`, false), skipped };
}
