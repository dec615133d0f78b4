import { isWorkingTime, nextReminderAt, nextWorkingTime, reminderDue, roundEnd } from '../../src/research/schedule.js';
import { content } from '../support/context.js';

const round = {
  ...content.rounds.get('default')!,
  status: 'open' as const,
  closesAt: '2027-04-30',
  reminders: { afterDays: [3, 7], max: 2 },
};

test('working time is Monday to Friday, 08:00-18:00 in Amsterdam, in winter and in summer', () => {
  expect(isWorkingTime(new Date('2026-11-25T07:00:00Z'))).toBe(true); // Wed 08:00 CET
  expect(isWorkingTime(new Date('2026-11-25T06:59:00Z'))).toBe(false); // 07:59 CET
  expect(isWorkingTime(new Date('2026-11-25T17:00:00Z'))).toBe(false); // 18:00 CET
  expect(isWorkingTime(new Date('2026-06-10T06:00:00Z'))).toBe(true); // Wed 08:00 CEST
  expect(isWorkingTime(new Date('2026-11-28T10:00:00Z'))).toBe(false); // Saturday
});

test('the next working moment skips evenings and weekends', () => {
  expect(nextWorkingTime(new Date('2026-11-27T19:00:00Z')).toISOString()).toBe('2026-11-30T07:00:00.000Z'); // Fri evening → Mon 08:00
  expect(nextWorkingTime(new Date('2026-11-25T05:00:00Z')).toISOString()).toBe('2026-11-25T07:00:00.000Z'); // Wed 06:00 → 08:00
  expect(nextWorkingTime(new Date('2026-11-25T12:00:00Z')).toISOString()).toBe('2026-11-25T12:00:00.000Z');
});

test('reminders after 3 and 7 days, moved into working time, across the daylight-saving change', () => {
  // Invited Thursday 26 March 2026, 17:30 CET; clocks go forward on Sunday 29 March.
  const invited = '2026-03-26T16:30:00Z';
  expect(nextReminderAt(round, { invitedAt: invited }, invited)?.toISOString()).toBe('2026-03-30T06:00:00.000Z'); // Sun 18:30 CEST → Mon 08:00 CEST
  expect(nextReminderAt(round, { invitedAt: invited, remindersSent: 1 }, invited)?.toISOString()).toBe(
    '2026-04-02T15:30:00.000Z',
  ); // Thu 17:30 CEST
  expect(nextReminderAt(round, { invitedAt: invited, remindersSent: 2 }, invited)).toBeNull();
});

test('no reminder after the round closes, to someone who said no, or before "not now" ends', () => {
  const invited = '2027-04-26T08:00:00Z';
  expect(nextReminderAt(round, { invitedAt: invited }, invited)?.toISOString()).toBe('2027-04-29T08:00:00.000Z');
  expect(nextReminderAt(round, { invitedAt: invited, remindersSent: 1 }, invited)).toBeNull();
  expect(nextReminderAt(round, { invitedAt: invited, declined: true }, invited)).toBeNull();
  expect(nextReminderAt(round, { invitedAt: invited, snoozedUntil: '2027-04-30T20:00:00Z' }, invited)).toBeNull();
  expect(roundEnd(round).toISOString()).toBe('2027-04-30T21:59:59.999Z');
});

test('due only in working time, when the round is open', () => {
  const invited = '2026-11-20T09:00:00Z'; // Friday
  const entry = { invitedAt: invited };
  expect(reminderDue(round, entry, invited, new Date('2026-11-23T09:00:00Z'))).toBe(true); // Monday 10:00
  expect(reminderDue(round, entry, invited, new Date('2026-11-22T09:00:00Z'))).toBe(false); // Sunday
  expect(reminderDue({ ...round, status: 'paused' }, entry, invited, new Date('2026-11-23T09:00:00Z'))).toBe(false);
});
