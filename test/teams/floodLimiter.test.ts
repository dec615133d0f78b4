import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { TestAdapter, type Activity } from 'botbuilder';
import { InterviewSession } from '../../src/interview/session.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import { Pseudonyms } from '../../src/storage/pseudonyms.js';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { admissionOf } from '../../src/teams/admission.js';
import { WijzerBot } from '../../src/teams/bot.js';
import { CardTemplates } from '../../src/teams/cardTemplates.js';
import { FloodLimiter } from '../../src/teams/floodLimiter.js';
import { InterviewDialog } from '../../src/teams/interviewDialog.js';
import { tenantOf, userIdOf } from '../../src/teams/turnInput.js';
import { content } from '../support/context.js';

/** The per-participant flood limiter, on a fake clock: behaviour, not timing. */

let now = 0;
const clock = () => now;
const options = { ratePerSec: 2, burst: 5, maxTracked: 100 };

test('a burst passes, then one warning, then silence; a quiet participant is admitted again and warned afresh', () => {
  now = 1_000_000;
  const limiter = new FloodLimiter(options, clock);
  const first = Array.from({ length: 50 }, () => limiter.take('flooder'));
  expect(first.slice(0, 5)).toEqual(Array(5).fill('go'));
  expect(first[5]).toBe('warn');
  expect(first.slice(6)).toEqual(Array(44).fill('drop'));

  // Still flooding: tokens come back at the rate, the warning does not come again.
  const later: string[] = [];
  for (let i = 0; i < 100; i++) {
    now += 20; // 50 messages a second
    later.push(limiter.take('flooder'));
  }
  expect(later.filter((v) => v === 'warn')).toEqual([]);
  expect(later.filter((v) => v === 'go').length).toBe(4); // 2 s at 2 a second
  // Quiet for long enough to refill: admitted again, and a new flood is told once more.
  now += 3_000;
  const again = Array.from({ length: 7 }, () => limiter.take('flooder'));
  expect(again).toEqual(['go', 'go', 'go', 'go', 'go', 'warn', 'drop']);
});

test('one participant flooding does not slow down another', () => {
  now = 5_000_000;
  const limiter = new FloodLimiter(options, clock);
  for (let i = 0; i < 500; i++) limiter.take('flooder');
  expect(Array.from({ length: 5 }, () => limiter.take('someone else'))).toEqual(Array(5).fill('go'));
});

test('shedding looks without counting: only a participant told already and out of tokens is shed, and nobody else is charged', () => {
  now = 7_000_000;
  const limiter = new FloodLimiter(options, clock);
  expect(limiter.shed('stranger')).toBe(false);
  expect(limiter.size).toBe(0);
  for (let i = 0; i < 5; i++) expect(limiter.take('flooder')).toBe('go');
  expect(limiter.shed('flooder')).toBe(false); // not told yet: the next message gets the warning
  expect(limiter.take('flooder')).toBe('warn');
  for (let i = 0; i < 100; i++) expect(limiter.shed('flooder')).toBe(true);
  now += 500; // one token at 2 a second
  expect(limiter.shed('flooder')).toBe(false);
  expect(limiter.take('flooder')).toBe('go');
  expect(limiter.shed('flooder')).toBe(true);
});

test('the limiter forgets idle participants first and never tracks more than its bound', () => {
  now = 9_000_000;
  const limiter = new FloodLimiter(options, clock);
  for (let i = 0; i < 100; i++) limiter.take(`p${i}`);
  now += 10_000;
  for (let i = 0; i < 1000; i++) limiter.take(`q${i}`);
  expect(limiter.size).toBeLessThanOrEqual(100);
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-flood-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a flooding participant gets one polite message in their language, and their messages past the burst are not handled', async () => {
  now = 20_000_000;
  const stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
  await seedRounds(content, stores.answers, new Date());
  const secret = Buffer.alloc(32, 1);
  const limiter = new FloodLimiter(options, clock);
  const bot = new WijzerBot(
    new InterviewDialog(
      new InterviewSession(content, stores, Buffer.alloc(32, 2)),
      new CardTemplates(),
      new Pseudonyms(secret),
    ),
    admissionOf({ localMode: true, ALLOWED_TENANT_IDS: [] }),
    undefined,
    (activity) => limiter.take(pseudonymOf(secret, tenantOf(activity), userIdOf(activity))),
  );
  const replies: Partial<Activity>[] = [];
  const adapter = new TestAdapter(async (context) => {
    await bot.run(context);
  });
  const message: Partial<Activity> = {
    type: 'message',
    text: 'hello',
    locale: 'en-US',
    from: { id: 'u-flood', name: 'Flooder' },
    conversation: { id: 'c-flood', tenantId: 't', conversationType: 'personal', isGroup: false, name: '' },
  };
  for (let i = 0; i < 50; i++) await adapter.send(message);
  for (let next = adapter.activeQueue.shift(); next; next = adapter.activeQueue.shift()) replies.push(next);
  const texts = replies.map((r) => r.text ?? '');
  expect(texts.filter((t) => t.startsWith('You are sending many messages'))).toHaveLength(1);
  // Five admitted turns, each answered with the welcome card; the other 45 were not handled.
  expect(replies.filter((r) => r.attachments?.length)).toHaveLength(5);
  expect(replies).toHaveLength(5 + 1);
});
