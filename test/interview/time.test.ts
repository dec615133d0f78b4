import { calendarDate, formatAmsterdam, localClock, localDay, weekdayName } from '../../src/time.js';

test('the day and the time of day in Amsterdam, across midnight and both clock changes', () => {
  expect(localDay(new Date('2026-12-01T23:30:00Z'))).toBe('2026-12-02');
  expect(localClock(new Date('2026-12-01T23:30:00Z'))).toBe('00:30');
  expect(localDay(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
  expect(localClock(new Date('2026-07-01T21:59:00Z'))).toBe('23:59');
  // Summer time starts at 01:00 UTC on 29 March 2026 and ends at 01:00 UTC on 25 October 2026.
  expect(localClock(new Date('2026-03-29T00:59:00Z'))).toBe('01:59');
  expect(localClock(new Date('2026-03-29T01:00:00Z'))).toBe('03:00');
  expect(localClock(new Date('2026-10-25T00:30:00Z'))).toBe('02:30');
  expect(localClock(new Date('2026-10-25T01:30:00Z'))).toBe('02:30');
  expect(localClock(new Date('2026-01-05T08:07:00Z'))).toBe('09:07');
});

test.each([
  ['nl', '2027-12-31', '31 december 2027', 'vrijdag'],
  ['en', '2027-12-31', '31 December 2027', 'Friday'],
  ['nl', '2026-03-29', '29 maart 2026', 'zondag'],
  ['en', '2026-10-25', '25 October 2026', 'Sunday'],
] as const)('a calendar date and its weekday in %s: %s', (locale, isoDate, shown, weekday) => {
  expect(calendarDate(isoDate, locale)).toBe(shown);
  expect(formatAmsterdam(`${isoDate}T12:00:00Z`, 'EEEE', locale)).toBe(weekday);
  expect(weekdayName(new Date(`${isoDate}T12:00:00Z`).getUTCDay() || 7, locale)).toBe(weekday);
});

test('asked again and again around a minute, midnight and a clock change, the day and the clock stay right', () => {
  const fresh = {
    day: new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', dateStyle: 'short' }),
    clock: new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Amsterdam',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }),
  };
  // Around midnight in Amsterdam and the end of summer time, every 250 ms over three minutes each.
  const starts = [Date.parse('2026-12-01T22:58:30Z'), Date.parse('2026-10-25T00:58:30Z'), 0];
  for (const start of starts) {
    for (let ms = start; ms < start + 180_000; ms += 250) {
      const date = new Date(ms);
      expect([localDay(date), localClock(date)]).toEqual([fresh.day.format(date), fresh.clock.format(date)]);
    }
  }
  expect(localDay(new Date('1939-06-01T23:59:00Z'))).toBe('1939-06-02');
});
