import { TZDate } from '@date-fns/tz';
import { addDays, endOfDay, isWeekend, setHours, startOfDay } from 'date-fns';
import type { Round } from '../content/schema.js';
import type { KeyEntry } from '../ports/stores.js';
import { TIME_ZONE } from '../time.js';

const WORK_START = 8;
const WORK_END = 18;

const local = (date: Date) => new TZDate(date, TIME_ZONE);

/** Reminders go out on working days (Monday to Friday) between 08:00 and 18:00, Amsterdam time. */
export function isWorkingTime(date: Date): boolean {
  const t = local(date);
  return !isWeekend(t) && t.getHours() >= WORK_START && t.getHours() < WORK_END;
}

/** The first working moment at or after `date`. */
export function nextWorkingTime(date: Date): Date {
  let t = local(date);
  if (!isWeekend(t) && t.getHours() < WORK_START) return new Date(setHours(startOfDay(t), WORK_START).getTime());
  if (isWorkingTime(t)) return new Date(t.getTime());
  do t = setHours(startOfDay(addDays(t, 1)), WORK_START);
  while (isWeekend(t));
  return new Date(t.getTime());
}

/** The last moment of the round: the end of its closing date in Amsterdam. */
export function roundEnd(round: Round): Date {
  return new Date(endOfDay(new TZDate(`${round.closesAt}T12:00:00`, TIME_ZONE)).getTime());
}

/**
 * When the next automatic reminder is due for a participant who was invited (or started) and has not finished,
 * or null when none is due any more: after `afterDays[n]` days from the invitation, at a working moment, not
 * before a "not now" ends, never after the round closes, at most `max`.
 */
export function nextReminderAt(round: Round, entry: KeyEntry, since: string): Date | null {
  if (entry.declined) return null;
  const sent = entry.remindersSent ?? 0;
  const afterDays = round.reminders.afterDays[sent];
  if (sent >= round.reminders.max || afterDays === undefined) return null;
  let due = addDays(local(new Date(since)), afterDays);
  if (entry.snoozedUntil && new Date(entry.snoozedUntil) > due) due = local(new Date(entry.snoozedUntil));
  const at = nextWorkingTime(due);
  return at <= roundEnd(round) ? at : null;
}

/** Whether an automatic reminder should go now. */
export function reminderDue(round: Round, entry: KeyEntry, since: string, now: Date): boolean {
  if (round.status !== 'open' || !isWorkingTime(now) || now > roundEnd(round)) return false;
  const at = nextReminderAt(round, entry, since);
  return at !== null && at <= now;
}
