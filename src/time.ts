import { TZDate } from '@date-fns/tz';
import { format, setISODay } from 'date-fns';
import { enGB, nl } from 'date-fns/locale';
import type { Locale } from './interview/types.js';

/** Wijzer works in Dutch time: reminders, digests and the dates shown to participants. */
export const TIME_ZONE = 'Europe/Amsterdam';

// Built once: a formatter holds its time-zone data, and a turn needs one or two of these.
const DAY = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const CLOCK = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The date in Amsterdam as yyyy-MM-dd. */
export function localDay(date: Date): string {
  return DAY.format(date);
}

/** The time of day in Amsterdam as HH:mm. */
export function localClock(date: Date): string {
  return CLOCK.format(date);
}

/** A moment as Amsterdam shows it, in the researcher's or participant's language ("maandag 7 december 2026, 09:00"). */
export function formatAmsterdam(moment: Date | string, pattern: string, locale: Locale): string {
  return format(new TZDate(new Date(moment), TIME_ZONE), pattern, { locale: locale === 'nl' ? nl : enGB });
}

/** The name of an ISO weekday (1 = Monday): "maandag", "Monday". */
export function weekdayName(isoWeekday: number, locale: Locale): string {
  return format(setISODay(new Date(2026, 0, 5), isoWeekday), 'EEEE', { locale: locale === 'nl' ? nl : enGB });
}
