import { TZDate } from '@date-fns/tz';
import { format, setISODay, subDays } from 'date-fns';
import type { Round } from '../content/schema.js';
import { TIME_ZONE } from '../time.js';

/** The round's weekly digest moment (weekday and time, Amsterdam) at or before `now`. */
export function lastWeeklyMoment(round: Round, now: Date): Date {
  const [hours = 0, minutes = 0] = round.digest.time.split(':').map(Number);
  const local = new TZDate(now, TIME_ZONE);
  let moment = setISODay(local, round.digest.weekday);
  moment = new TZDate(moment.getFullYear(), moment.getMonth(), moment.getDate(), hours, minutes, 0, 0, TIME_ZONE);
  if (moment.getTime() > now.getTime()) moment = subDays(moment, 7);
  return new Date(moment.getTime());
}

/** A weekly digest is named by its date in Amsterdam, so that it is recognised after a restart. */
export function weeklyPeriod(moment: Date): string {
  return `week-${format(new TZDate(moment, TIME_ZONE), 'yyyy-MM-dd')}`;
}

/**
 * The digests due now that were not sent (or queued) yet: the latest weekly one while the round is open (one
 * missed while the bot was down is sent once when it is back; older missed weeks are not sent in a burst), and the
 * final one once the round is closed.
 */
export function dueDigestPeriods(round: Round, now: Date, done: Set<string>): string[] {
  if (round.status === 'closed') return done.has('final') ? [] : ['final'];
  if (round.status !== 'open' || !round.openedAt) return [];
  const moment = lastWeeklyMoment(round, now);
  if (moment.getTime() < Date.parse(round.openedAt)) return [];
  const period = weeklyPeriod(moment);
  return done.has(period) ? [] : [period];
}
