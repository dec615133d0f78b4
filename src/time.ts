import { TZDate } from '@date-fns/tz';
import { format, setISODay } from 'date-fns';
import { enGB, nl } from 'date-fns/locale';
import type { Locale } from './interview/types.js';

/** Wijzer works in Dutch time: reminders, digests and the dates shown to participants. */
export const TIME_ZONE = 'Europe/Amsterdam';

/** A moment as Amsterdam shows it, in the researcher's or participant's language ("maandag 7 december 2026, 09:00"). */
export function formatAmsterdam(moment: Date | string, pattern: string, locale: Locale): string {
  return format(new TZDate(new Date(moment), TIME_ZONE), pattern, { locale: locale === 'nl' ? nl : enGB });
}

/** The name of an ISO weekday (1 = Monday): "maandag", "Monday". */
export function weekdayName(isoWeekday: number, locale: Locale): string {
  return format(setISODay(new Date(2026, 0, 5), isoWeekday), 'EEEE', { locale: locale === 'nl' ? nl : enGB });
}
