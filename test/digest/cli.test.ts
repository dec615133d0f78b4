import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../scripts/digest.js';
import { collectDigest } from '../../src/digest/collect.js';
import { pngSize } from '../../src/digest/heatmap.js';
import { digestMarkdown } from '../../src/digest/markdown.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import type { OutboxJob } from '../../src/ports/outbox.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import type { Stores } from '../../src/ports/stores.js';
import { content, record, SPECS } from './fixtures.js';
import { at, defined } from '../support/defined.js';

let dir: string;
let stores: Stores;
const NOW = new Date('2026-12-07T08:00:00.000Z');

function run() {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    env: { DATA_DIR: join(dir, 'data'), KEY_DIR: join(dir, 'keys'), CONTENT_DIR: process.cwd() },
    out: (l: string) => out.push(l),
    err: (l: string) => err.push(l),
  };
  return { io, out, err };
}

function invite(i: number): OutboxJob {
  return {
    id: `invite:default:p${i}`,
    kind: 'invite',
    roundId: 'default',
    pseudonym: `p${i}`,
    target: { channelId: 'msteams', serviceUrl: 'https://smba.example/', tenantId: 't', userId: `29:u${i}` },
    status: 'sent',
    attempts: 1,
    notBefore: NOW.toISOString(),
    createdAt: NOW.toISOString(),
  };
}

/** Stores the fixture's interviews by name; the store hands out letter codes in order (A, B, ...). */
async function seed(names: string[]): Promise<void> {
  await seedRounds(content, stores.answers, new Date('2026-11-01T08:00:00.000Z'));
  for (const name of names)
    await stores.answers.createInterview('default', (code) => record(code, defined(SPECS[name], name)));
  await stores.outbox.enqueue([1, 2, 3, 4, 5, 6, 7, 8, 9].map(invite));
  await stores.answers.appendDigestLog('default', {
    period: 'week-2026-11-30',
    at: '2026-11-30T08:00:00.000Z',
    invited: 5,
    completed: 2,
    inProgress: 1,
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-digest-'));
  stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
});
afterEach(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

test('html: a standalone page with the chart and the tables; quotes without participant numbers', async () => {
  await seed(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
  const { io, out, err } = run();
  const path = join(dir, 'out', 'digest.html');
  expect(await main(['--format', 'html', '--out', path], io, NOW)).toBe(0);
  expect(err).toEqual([]);
  expect(out.join('\n')).toContain(`wrote ${path}`);
  const html = readFileSync(path, 'utf8');
  expect(html).toContain('<html lang="nl">');
  const png = Buffer.from(defined(/src="data:image\/png;base64,([^"]+)"/.exec(html)?.[1], 'the chart'), 'base64');
  expect(pngSize(png).width).toBe(1600);
  expect(html).toContain('<h3>Ondersteunen bij regievoeren</h3>');
  expect(html).toContain('<blockquote>“Korte sessies in het team.”</blockquote>');
  expect(html).not.toMatch(/\bR\d+\b/);
  // Invitations from the outbox, completed and in progress, and the change since the logged digest.
  expect(html).toMatch(/Uitgenodigd<\/div><div class="value">9<span class="change">\+4 sinds de vorige<\/span>/);
  expect(html).toMatch(/Afgerond<\/div><div class="value">6<span class="change">\+4 sinds de vorige<\/span>/);
  expect(html).toMatch(/Nog bezig<\/div><div class="value">1<span class="change">0 sinds de vorige<\/span>/);
  expect(html).not.toContain('ONVOLTOOID');
});

test('md: Markdown with tables, the chart as a PNG beside it; English with --lang en; the round by id', async () => {
  await seed(['A', 'B', 'C', 'D', 'E', 'F']);
  const { io } = run();
  const path = join(dir, 'digest.md');
  expect(await main(['--round=default', '--format=md', `--out=${path}`, '--lang', 'en'], io, NOW)).toBe(0);
  const md = readFileSync(path, 'utf8');
  expect(md).toContain('# Wijzer digest · Open pilot round');
  expect(md).toContain('| Analysing |');
  expect(md).toContain('](digest.png)');
  expect(pngSize(readFileSync(join(dir, 'digest.png'))).width).toBe(1600);
});

test('below k completed interviews: the response only', async () => {
  await seed(['A', 'B', 'C', 'G']);
  const { io, out } = run();
  const path = join(dir, 'digest.md');
  expect(await main(['--format', 'md', '--out', path], io, NOW)).toBe(0);
  const md = readFileSync(path, 'utf8');
  expect(md).toContain('details volgen bij 5 afgeronde interviews');
  expect(md).not.toContain('Analyseren');
  expect(existsSync(join(dir, 'digest.png'))).toBe(false);
  expect(out.join('\n')).toContain('the response only');
  // The digest asks the key store for nothing about participants.
  expect(await stores.keys.participants('default')).toEqual([]);
});

test('collectDigest reads the previous digest from the log', async () => {
  await seed(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
  const round = (await stores.answers.getRound('default'))!;
  const d = await collectDigest({ stores, content, round, now: NOW });
  expect(d.response).toEqual({
    invited: 9,
    openRound: false,
    completed: 6,
    inProgress: 1,
    change: { since: '2026-11-30T08:00:00.000Z', invited: 4, completed: 4, inProgress: 0 },
  });
  const first = await collectDigest({ stores, content, round, previous: null, now: NOW });
  expect(first.response.change).toBeNull();
});

test.each([
  [['--format', 'pdf', '--out', 'x.pdf'], '--format must be html or md'],
  [['--out', 'x.html'], '--format is required'],
  [['--format', 'html'], '--out PATH is required'],
  [['--format', 'html', '--out', 'x', '--colour', 'red'], 'unknown option --colour'],
  [['--format', 'html', '--out', 'x', '--lang', 'de'], '--lang must be nl or en'],
  [['--round', 'Bad Id', '--format', 'html', '--out', 'x'], '--round must be a round id'],
  [['html'], 'unexpected argument'],
])('bad arguments exit 2: %j', async (argv, message) => {
  const { io, err } = run();
  expect(await main(argv, io, NOW)).toBe(2);
  expect(err.join('\n')).toContain(message);
  expect(err.join('\n')).toContain('usage: npm run digest');
});

test('an unknown round exits 1', async () => {
  await seed(['A']);
  const { io, err } = run();
  expect(await main(['--round', 'nope', '--format', 'html', '--out', join(dir, 'x.html')], io, NOW)).toBe(1);
  expect(err.join('\n')).toContain('no round "nope"');
});

test('the final digest of a closed round adds the shared viewpoints; an open round has none', async () => {
  await seed(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
  const open = (await stores.answers.getRound('default'))!;
  expect((await collectDigest({ stores, content, round: open, now: NOW })).viewpoints).toBeUndefined();
  const closed = { ...open, status: 'closed' as const, closedAt: NOW.toISOString(), digest: { ...open.digest, k: 2 } };
  const digest = await collectDigest({ stores, content, round: closed, now: NOW });
  // Six completed sorts: the analysis runs, and only viewpoints with at least k defining sorts show.
  expect(digest.viewpoints).not.toBeNull();
  expect(digest.viewpoints!.viewpoints.length).toBeGreaterThan(0);
  for (const v of digest.viewpoints!.viewpoints) expect(v.definingSorts).toBeGreaterThanOrEqual(2);
  const md = digestMarkdown(digest);
  expect(md).toContain(digest.viewpoints!.title);
  expect(md).toContain(at(at(digest.viewpoints!.viewpoints, 0).top, 0).name);
  // With k above the number of completed interviews, neither details nor viewpoints are shown.
  const strict = await collectDigest({
    stores,
    content,
    round: { ...closed, digest: { ...closed.digest, k: 7 } },
    now: NOW,
  });
  expect(strict.details).toBeNull();
  expect(strict.viewpoints ?? null).toBeNull();
});
