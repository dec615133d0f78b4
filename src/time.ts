import { TZDate } from '@date-fns/tz';
import { format, setISODay, type Locale as DateFnsLocale } from 'date-fns';
import { enGB, nl } from 'date-fns/locale';
import type { Locale } from './interview/types.js';

/** Wijzer works in Dutch time: reminders, digests and the dates shown to participants. */
export const TIME_ZONE = 'Europe/Amsterdam';

// Built once: a formatter holds its time-zone data, and a turn needs one or two of these.
const DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * A formatter that remembers its last minute: every turn asks for the day or the clock of about the same moment.
 * Amsterdam's offsets have been whole hours since 1940, so neither can change within a minute of UTC after 1970.
 */
function perMinute(formatter: Intl.DateTimeFormat): (date: Date) => string {
  let minute = NaN;
  let text = '';
  return (date) => {
    const ms = date.getTime();
    const at = ms >= 0 ? Math.floor(ms / 60_000) : NaN;
    if (at !== minute) {
      text = formatter.format(date);
      minute = at;
    }
    return text;
  };
}

/** The date in Amsterdam as yyyy-MM-dd. */
export const localDay = perMinute(DAY);

/** The time of day in Amsterdam as HH:mm. */
export const localClock = perMinute(CLOCK);

/** date-fns' month and day names for the reader's language (British English: "1 December 2026"). */
export function dateLocale(locale: Locale): DateFnsLocale {
  return locale === 'nl' ? nl : enGB;
}

/** A moment as Amsterdam shows it, in the researcher's or participant's language ("maandag 7 december 2026, 09:00"). */
export function formatAmsterdam(moment: Date | string, pattern: string, locale: Locale): string {
  return format(new TZDate(new Date(moment), TIME_ZONE), pattern, { locale: dateLocale(locale) });
}

/** A calendar date (yyyy-MM-dd, e.g. a round's last day) as people read it: "1 november 2026". */
export function calendarDate(isoDate: string, locale: Locale): string {
  // Noon UTC is the same day in Amsterdam, summer or winter.
  return formatAmsterdam(`${isoDate}T12:00:00Z`, 'd MMMM yyyy', locale);
}

/** The name of an ISO weekday (1 = Monday): "maandag", "Monday". */
export function weekdayName(isoWeekday: number, locale: Locale): string {
  return format(setISODay(new Date(2026, 0, 5), isoWeekday), 'EEEE', { locale: dateLocale(locale) });
}
