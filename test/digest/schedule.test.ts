import { dueDigestPeriods, lastWeeklyMoment, weeklyPeriod } from '../../src/digest/schedule.js';
import { content } from '../support/context.js';

const base = content.rounds.get('default')!;
const round = {
  ...base,
  status: 'open' as const,
  openedAt: '2026-03-01T00:00:00.000Z',
  digest: { ...base.digest, weekday: 1, time: '09:00' },
};

test('the weekly moment is Monday 09:00 in Amsterdam, before and after the daylight-saving change', () => {
  // Monday 23 March 2026, 09:00 CET = 08:00 UTC; Monday 30 March 2026, 09:00 CEST = 07:00 UTC.
  expect(lastWeeklyMoment(round, new Date('2026-03-23T08:00:00Z')).toISOString()).toBe('2026-03-23T08:00:00.000Z');
  expect(lastWeeklyMoment(round, new Date('2026-03-23T07:59:00Z')).toISOString()).toBe('2026-03-16T08:00:00.000Z');
  expect(lastWeeklyMoment(round, new Date('2026-03-30T06:59:00Z')).toISOString()).toBe('2026-03-23T08:00:00.000Z');
  expect(lastWeeklyMoment(round, new Date('2026-03-30T07:00:00Z')).toISOString()).toBe('2026-03-30T07:00:00.000Z');
  // And back in October: Monday 26 October 2026 09:00 CET = 08:00 UTC.
  expect(lastWeeklyMoment(round, new Date('2026-10-26T08:30:00Z')).toISOString()).toBe('2026-10-26T08:00:00.000Z');
});

test('a fake clock walking hour by hour through the DST week fires each weekly digest exactly once', () => {
  const sent = new Set<string>();
  const fired: string[] = [];
  for (let t = Date.parse('2026-03-20T00:00:00Z'); t < Date.parse('2026-04-08T00:00:00Z'); t += 15 * 60_000) {
    for (const period of dueDigestPeriods(round, new Date(t), sent)) {
      sent.add(period);
      fired.push(`${period}@${new Date(t).toISOString()}`);
    }
  }
  expect(fired).toEqual([
    'week-2026-03-16@2026-03-20T00:00:00.000Z', // the week before, missed while "down": sent once at start
    'week-2026-03-23@2026-03-23T08:00:00.000Z',
    'week-2026-03-30@2026-03-30T07:00:00.000Z',
    'week-2026-04-06@2026-04-06T07:00:00.000Z',
  ]);
});

test('weekly while open only; the final digest once when closed; nothing before the round opened', () => {
  const now = new Date('2026-03-25T10:00:00Z');
  expect(dueDigestPeriods({ ...round, status: 'paused' }, now, new Set())).toEqual([]);
  expect(dueDigestPeriods({ ...round, status: 'closed' }, now, new Set())).toEqual(['final']);
  expect(dueDigestPeriods({ ...round, status: 'closed' }, now, new Set(['final']))).toEqual([]);
  expect(dueDigestPeriods({ ...round, openedAt: '2026-03-24T00:00:00.000Z' }, now, new Set())).toEqual([]);
  expect(weeklyPeriod(new Date('2026-03-29T23:30:00Z'))).toBe('week-2026-03-30');
});
