/**
 * Digests cannot be subtracted: a channel that gets a digest at n completed interviews and another at n + d must not
 * learn, by subtraction, the d newcomers' columns, ratings or quotes for d < k. Built through the composer the bot
 * uses (the digest log in a real embedded store), with weekly and on-demand digests mixed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CardBlock, DigestCardView } from '../../src/digest/card.js';
import { DigestComposer } from '../../src/digest/composer.js';
import { detailGate } from '../../src/digest/gate.js';
import type { InterviewRecord } from '../../src/interview/types.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import type { DigestLogEntry, Stores } from '../../src/ports/stores.js';
import { content, deck, record } from './fixtures.js';
import { defined } from '../support/defined.js';

const K = 5;
const COMPETENCIES = deck.clusters.flatMap((c) => c.competencies.map((x) => x.id));
/** Quotable answers, one per participant (no names, no numbers: every one passes the quote filter). */
const NEEDS = [
  'Meer scholing over gesprekken met ouders die niet willen meewerken.',
  'Liever korte sessies in het team dan een lange training op locatie.',
  'Behoefte aan training in motiverende gespreksvoering met jongeren.',
  'Ik wil graag leren hoe ik risico bij jonge kinderen inschat.',
  'Vooral meer tijd om te reflecteren met collega uit andere wijken.',
  'Een vaste coach zou mij meer helpen dan losse bijeenkomsten.',
  'Scholing over schulden en armoede in gezinnen mis ik echt.',
  'Meer uitleg over samenwerken met het onderwijs en de school.',
  'Trainingen over echtscheiding en loyaliteit van kinderen graag.',
  'Ik zou graag intervisie willen over lastige casussen in de wijk.',
  'Meer aandacht voor omgaan met agressie in gesprekken thuis.',
  'Kennis over verslaving bij ouders zou mijn werk beter maken.',
  'Leren hoe ik het netwerk van een gezin beter betrek bij hulp.',
  'Graag een training over gespreksvoering met kinderen zelf.',
  'Meer over wetgeving en wanneer ik iets moet melden graag.',
];

let dir: string;
let stores: Stores;
let clock: Date;
let added = 0;
const tick = () => {
  clock = new Date(clock.getTime() + 60_000);
  return clock;
};

/** Participant i: own columns for three cards, a rating and a quote, completed now. */
function participant(code: string, i: number): InterviewRecord {
  const competency = (n: number) => defined(COMPETENCIES[n], `competency ${n}`);
  const [a, b, c] = [competency(i % 7), competency(7 + (i % 5)), competency(12 + (i % 3))];
  const base = record(code, {
    quote: true,
    placement: { [a]: (i % 7) - 3, [b]: 3 - (i % 4), [c]: (i % 3) - 1 },
    ratings: { [a]: 1 + (i % 10) },
    answers: { training: { need: defined(NEEDS[i % NEEDS.length], 'a need') } },
  });
  return { ...base, completedAt: tick().toISOString() };
}

async function complete(count: number): Promise<void> {
  for (let j = 0; j < count; j++, added++) {
    const i = added;
    await stores.answers.createInterview('default', (code) => participant(code, i));
  }
}

const composer = (s: Stores = stores) => new DigestComposer(content, s, process.cwd(), () => tick());

/** Everything of a digest but its response block: the table cells, means, counts, ratings, chart and quotes. */
function detailsOf(views: DigestCardView[]): CardBlock[] {
  return views.flatMap((v) => v.data.blocks).filter((b) => b.heading !== 'Respons');
}

const textOf = (views: DigestCardView[]) => JSON.stringify(views);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-digest-privacy-'));
  stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
  clock = new Date('2026-11-20T08:00:00.000Z');
  added = 0;
  await seedRounds(content, stores.answers, new Date('2026-11-01T08:00:00.000Z'));
  const round = (await stores.answers.getRound('default'))!;
  expect(round.digest.k).toBe(K);
});
afterEach(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each([1, 2, 3, 4])('two digests %i interview(s) apart (k = 5)', (d) => {
  test('show no detail figure that differs; the details change once k more completed', async () => {
    const bot = composer();
    await complete(K);
    const first = await bot.views('default', 'week-2026-11-23');
    expect(detailsOf(first).length).toBeGreaterThan(0);
    expect(textOf(first)).toContain(`${K} afgeronde interviews`);

    await complete(d);
    // An on-demand digest counts like a weekly one.
    const second = await bot.views('default', `manual-${d}`);
    const shown = detailsOf(second);
    // Subtracting the second from the first must give nothing: either the same details or none at all.
    expect(shown.length === 0 || JSON.stringify(shown) === JSON.stringify(detailsOf(first))).toBe(true);
    expect(shown).toEqual([]);
    expect(textOf(second)).toContain(`Nieuwe details bij ${2 * K} afgeronde interviews`);
    // The response figures do say that d more completed.
    expect(
      defined(second[0]?.data.blocks[0], 'the response block').facts.find((f) => f.label === 'Afgerond')!.value,
    ).toMatch(new RegExp(`^${K + d}\\b`));
    for (const need of NEEDS.slice(K, K + d)) expect(textOf(second)).not.toContain(need);

    await complete(K - d);
    const third = await bot.views('default', 'week-2026-11-30');
    expect(detailsOf(third).length).toBeGreaterThan(0);
    expect(JSON.stringify(detailsOf(third))).not.toBe(JSON.stringify(detailsOf(first)));
    expect(textOf(third)).toContain(`${2 * K} afgeronde interviews`);
    for (const need of NEEDS.slice(0, 2 * K)) expect(textOf(third)).toContain(need);
  });
});

test('a sequence of weekly and on-demand digests: details only at growth of at least k, logged as counts', async () => {
  const bot = composer();
  const published: number[] = [];
  for (let n = 1; n <= 3 * K + 2; n++) {
    await complete(1);
    const views = await bot.views('default', n % 2 ? `manual-${n}` : `week-${n}`);
    if (detailsOf(views).length) published.push(n);
  }
  expect(published).toEqual([K, 2 * K, 3 * K]);
  const log = await stores.answers.digestLog('default');
  expect(log).toHaveLength(3 * K + 2);
  expect(log.map((e) => e.details)).toEqual(
    Array.from({ length: 3 * K + 2 }, (_, i) => (published.includes(i + 1) ? i + 1 : 0)),
  );
  // Counts only: nothing in the log names an interview.
  for (const entry of log)
    expect(Object.keys(entry).sort()).toEqual(['at', 'completed', 'details', 'inProgress', 'invited', 'period']);
});

test('a restart in the middle of sending one digest to several channels: the same details, or none', async () => {
  await complete(K);
  const before = await composer().views('default', 'week-2026-11-23');
  // Rebuilt after a restart with nothing changed: the very same details.
  expect(detailsOf(await composer().views('default', 'week-2026-11-23'))).toEqual(detailsOf(before));
  // One more completed before the restart: the rest of the channels get the response only.
  await complete(1);
  const after = await composer().views('default', 'week-2026-11-23');
  expect(detailsOf(after)).toEqual([]);
  expect(await stores.answers.digestLog('default')).toHaveLength(1);
});

test('two instances building the same digest at once: the first record wins, the other builds against it', async () => {
  await complete(K);
  const first = await composer().views('default', 'week-2026-11-23');
  expect(detailsOf(first).length).toBeGreaterThan(0);
  await complete(1);
  // The second instance read the log before the first one wrote its record.
  let stale = true;
  const answers = Object.create(stores.answers, {
    digestLog: { value: async (id: string) => (stale ? ((stale = false), []) : stores.answers.digestLog(id)) },
  }) as Stores['answers'];
  const second = await composer({ ...stores, answers }).views('default', 'week-2026-11-23');
  expect(detailsOf(second)).toEqual([]);
});

test('two instances building different digests at once: the one recorded first keeps its details, the other has none', async () => {
  await complete(2 * K);
  // Instance A records a digest with details over 10; instance B read the log before that, and builds another at 11.
  let stale = true;
  const answers = Object.create(stores.answers, {
    digestLog: { value: async (id: string) => (stale ? ((stale = false), []) : stores.answers.digestLog(id)) },
  }) as Stores['answers'];
  const a = await composer().views('default', 'week-2026-11-30');
  expect(detailsOf(a).length).toBeGreaterThan(0);
  await complete(1);
  const b = await composer({ ...stores, answers }).views('default', 'manual-1');
  // B decided on an empty log (details over 11), but A's details over 10 came first: 11 is fewer than k after them.
  expect(detailsOf(b)).toEqual([]);
  expect(textOf(b)).toContain(`Nieuwe details bij ${3 * K} afgeronde interviews`);
  // Later digests go by what was shown: the next details at 15.
  await complete(3);
  expect(detailsOf(await composer().views('default', 'week-2026-12-07'))).toEqual([]);
  await complete(1);
  expect(detailsOf(await composer().views('default', 'week-2026-12-14')).length).toBeGreaterThan(0);
});

test('quotes carry no participant number, and their order does not depend on who answered when', async () => {
  await complete(K);
  const views = await composer().views('default', 'week-2026-11-23');
  const quotes = views.flatMap((v) => v.data.blocks.flatMap((b) => b.quotes));
  expect(quotes.map((q) => q.text).sort((a, b) => a.localeCompare(b, 'nl'))).toEqual(quotes.map((q) => q.text));
  expect(quotes).toHaveLength(K);
  expect(textOf(views)).not.toMatch(/\bR\d+\b/);
  for (const q of quotes) expect(Object.keys(q)).toEqual(['text']);
});

describe('the gate', () => {
  const at = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => new Date(Date.UTC(2026, 10, 20, 9, from + i)).toISOString());
  const entry = (period: string, completed: number, details: number, minute = 59): DigestLogEntry => ({
    period,
    at: new Date(Date.UTC(2026, 10, 20, 9, minute)).toISOString(),
    invited: 0,
    completed,
    inProgress: 0,
    details,
  });

  test('withdrawals only widen the gap: after details over 5, one withdrawal and five newcomers (9) are not enough', () => {
    const log = [entry('week-1', 5, 5)];
    expect(detailGate(log, null, at(9), K)).toEqual({ publish: false, last: 5, nextAt: 10 });
    expect(detailGate(log, null, at(10), K)).toEqual({ publish: true, last: 5, nextAt: 10 });
  });

  test('log entries from before the log recorded details count as details from k on', () => {
    const { details: _, ...legacy } = entry('week-1', 6, 6);
    expect(detailGate([legacy], null, at(7), K)).toEqual({ publish: false, last: 6, nextAt: 11 });
    const { details: __, ...small } = entry('week-1', 4, 0);
    expect(detailGate([small], null, at(5), K).publish).toBe(true);
  });

  test('a period rebuilt over the same interviews shows them again; over others (even as many) it does not', () => {
    const log = [entry('week-1', 5, 5, 10)];
    expect(detailGate(log, 'week-1', at(5), K).publish).toBe(true);
    // A withdrawal and a newcomer since: as many interviews, but one completed after the period was built.
    expect(detailGate(log, 'week-1', [...at(4), ...at(1, 30)], K).publish).toBe(false);
    // A period that had no details gets none when rebuilt.
    expect(detailGate([entry('week-1', 4, 0)], 'week-1', at(5), K).publish).toBe(false);
  });
});
