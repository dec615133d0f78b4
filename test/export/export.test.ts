import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { main } from '../../scripts/export.js';
import { loadContent } from '../../src/content/load.js';
import { createRecord } from '../../src/interview/engine.js';
import type { Answers, FollowUp, InterviewRecord } from '../../src/interview/types.js';
import { meanDistribution } from '../../src/export/distribution.js';
import { exportRound, type ExportFile } from '../../src/export/index.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import type { Stores } from '../../src/ports/stores.js';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { contextFor } from '../support/context.js';
import { at, defined } from '../support/defined.js';

const content = loadContent();
const ctx = contextFor();
const deckIds = ctx.deck.clusters.flatMap((c) => c.competencies.map((k) => k.id));
const nameOf = new Map(ctx.deck.clusters.flatMap((c) => c.competencies.map((k) => [k.id, k.name.nl] as const)));
const TRICKY = 'Zei "ja"; maar, eerlijk\ngezegd\r\nniet altijd';

interface Spec {
  quote: boolean;
  background: Answers;
  named?: Answers;
  placement: Record<string, number>;
  followUps?: Record<string, Answers>;
  completed: boolean;
}

const SPECS: Spec[] = [
  {
    // A
    quote: true,
    background: {
      role: 'Jeugdgeneralist',
      specialism: TRICKY,
      changes: null,
      ageBand: 'age-35-39',
      experienceBand: 'exp-5-9',
      workArea: 'west',
    },
    named: { first: 'Luisteren', second: null },
    placement: {
      analyseren: 3,
      'normen-stellen': -3,
      'samen-doen': 2,
      signaleren: 1,
      stimuleren: 0,
      aansluiten: -1,
      empathie: 3,
      luisteren: 2,
      reflecteren: -2,
      'efficient-werken': 1,
    },
    followUps: {
      analyseren: { why: 'Kern van het werk', useNow: 'Ja', bond: 'Helpt', teamAttention: 7, teamAttentionWhy: null },
      empathie: { why: TRICKY, useNow: null, bond: null, teamAttention: 9, teamAttentionWhy: 'Veel aandacht' },
      'normen-stellen': {
        why: 'Past niet bij mij',
        useNow: null,
        bond: null,
        teamAttention: null,
        teamAttentionWhy: null,
      },
    },
    completed: true,
  },
  {
    // B: stopped halfway, must never be exported
    quote: true,
    background: { role: 'ONVOLTOOID-ROL', ageBand: 'age-60-64', experienceBand: 'exp-40-plus', workArea: 'noord' },
    placement: { analyseren: 3, empathie: -3 },
    completed: false,
  },
  {
    // C: no quote consent, skipped the experience band and all follow-ups but one
    quote: false,
    background: {
      role: 'Ambulant hulpverlener',
      specialism: null,
      changes: 'Meer casussen',
      ageBand: 'age-25-29',
      experienceBand: null,
      workArea: 'zuid',
    },
    placement: {
      luisteren: 3,
      'transparant-zijn': 2,
      'veiligheid-bieden': 2,
      reflecteren: 1,
      besluitvaardigheid: 1,
      zelfstandigheid: 0,
      'kritisch-zijn': 0,
      'lef-tonen': -1,
      motiveren: -1,
      'efficient-werken': -2,
      'kennis-geweld-afhankelijkheidsrelaties': 3,
    },
    followUps: {
      luisteren: { why: 'Altijd nodig', useNow: null, bond: null, teamAttention: 5, teamAttentionWhy: null },
    },
    completed: true,
  },
  {
    // D
    quote: true,
    background: {
      role: 'Jeugdgeneralist',
      specialism: 'Gezinnen',
      changes: null,
      ageBand: 'age-40-44',
      experienceBand: 'exp-20-24',
      workArea: 'oost',
    },
    placement: Object.fromEntries(deckIds.slice(0, 12).map((id, i) => [id, (i % 7) - 3])),
    followUps: {
      [at(deckIds, 0)]: { why: 'Moeilijk', useNow: null, bond: null, teamAttention: 2, teamAttentionWhy: 'Te weinig' },
    },
    completed: true,
  },
];
const COMPLETED = ['A', 'C', 'D'];

let dir: string;
let stores: Stores;
let keyDir: string;
let dataDir: string;

async function seed(): Promise<void> {
  await seedRounds(content, stores.answers, new Date());
  const secret = Buffer.alloc(32, 9);
  for (const spec of SPECS) {
    const created = await stores.answers.createInterview('default', (code) =>
      createRecord(ctx, code, spec.quote, null),
    );
    const followUps: Record<string, FollowUp> = Object.fromEntries(
      Object.entries(spec.followUps ?? {}).map(([id, answers]) => [
        id,
        { column: defined(spec.placement[id], id), answers },
      ]),
    );
    const record: InterviewRecord = {
      ...created,
      rev: created.rev + 1,
      answers: { background: spec.background, ...(spec.named ? { named: spec.named } : {}) },
      selection: Object.keys(spec.placement),
      placement: spec.placement,
      followUps,
      completedAt: spec.completed ? '2026-11-25T11:00:00.000Z' : null,
    };
    await stores.answers.saveInterview(record, created.rev);
    // The key store's side of the same participant: an identity we must never see in an export.
    const pseudonym = pseudonymOf(secret, 'tenant-x', `aad-${created.code}`);
    await stores.keys.update(pseudonym, 'default', () => ({ code: created.code }));
    await stores.keys.saveTarget(pseudonym, {
      channelId: 'msteams',
      serviceUrl: 'https://smba.example/emea/',
      tenantId: 'tenant-x',
      userId: `29:user-${created.code}-xyz`,
      conversationId: `a:conv-${created.code}-secret`,
    });
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-export-'));
  dataDir = join(dir, 'data');
  keyDir = join(dir, 'keys');
  stores = openLowdbStores(dataDir, keyDir);
  await seed();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const text = (f: ExportFile) => (typeof f.content === 'string' ? f.content : f.content.toString('utf8'));
const file = (files: ExportFile[], name: string) =>
  text(
    files.find((f) => f.name === name) ??
      (() => {
        throw new Error(`no file ${name}`);
      })(),
  );

/** The R code each letter code must get: codes ranked by their token, computed here from the key store. */
async function expectedNumbers(): Promise<Map<string, string>> {
  const tokens = await stores.keys.numberTokens('default', COMPLETED);
  const tokenOf = (code: string) => defined(tokens[COMPLETED.indexOf(code)], `the number token of ${code}`);
  return new Map(
    [...COMPLETED].sort((a, b) => (tokenOf(a) < tokenOf(b) ? -1 : 1)).map((code, i) => [code, `R${i + 1}`]),
  );
}

const specOf = (code: string) => at(SPECS, code.charCodeAt(0) - 65, `the spec of ${code}`);

/** Everything in the key store: file names (pseudonyms) and every string in its files (tokens, chat targets). */
function keyStoreSecrets(): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        out.push(name.replace(/\.json$/, ''));
        const collect = (v: unknown): void => {
          if (typeof v === 'string') out.push(v);
          else if (v && typeof v === 'object') Object.values(v).forEach(collect);
        };
        collect(JSON.parse(readFileSync(full, 'utf8')));
      }
    }
  };
  walk(keyDir);
  return out.filter((s) => s.length >= 8 && !['default', 'msteams', 'participants', 'number-tokens'].includes(s));
}

function parseCsv(content: string, delimiter: string): string[][] {
  expect(content.startsWith('\uFEFF')).toBe(true);
  return parse(content, { bom: true, delimiter, relax_column_count: false });
}

describe.each([',', ';'] as const)('csv with "%s"', (delimiter) => {
  test('background by letter code, sorts and answers by R code, values as placed', async () => {
    const files = await exportRound({ stores, content, format: 'csv', delimiter });
    expect(files.map((f) => f.name)).toEqual(['default-background.csv', 'default-sorts.csv', 'default-answers.csv']);
    const numbers = await expectedNumbers();

    const background = parseCsv(file(files, 'default-background.csv'), delimiter);
    expect(background).toEqual([
      ['code', 'ageBand', 'experienceBand', 'workArea'],
      ['A', '35–39 jaar', '5–9 jaar', 'WIJ West'],
      ['C', '25–29 jaar', '', 'WIJ Zuid'],
      ['D', '40–44 jaar', '20–24 jaar', 'WIJ Oost'],
    ]);

    const [header, ...sorts] = parseCsv(file(files, 'default-sorts.csv'), delimiter);
    expect(header).toEqual(['participant', ...deckIds.map((id) => nameOf.get(id))]);
    expect(sorts.map((r) => r[0])).toEqual(['R1', 'R2', 'R3']);
    for (const code of COMPLETED) {
      const row = sorts.find((r) => r[0] === numbers.get(code))!;
      const placement = specOf(code).placement;
      deckIds.forEach((id, i) => expect(row[i + 1]).toBe(id in placement ? String(placement[id]) : ''));
    }

    const [answersHeader, ...withText] = parseCsv(file(files, 'default-answers.csv'), delimiter);
    expect(answersHeader).toEqual([
      'participant',
      'step',
      'question',
      'questionText',
      'competency',
      'column',
      'text',
      'mayQuote',
    ]);
    // The question's text beside its id (long format, for coding in Atlas.ti).
    const guide = content.guides.get('wij-jeugdgeneralist')!;
    const textOf = (step: string, q: string) =>
      (guide.steps.find((s) => s.id === step) as { questions: { id: string; text: { nl: string } }[] }).questions.find(
        (x) => x.id === q,
      )!.text.nl;
    for (const row of withText) expect(row[3]).toBe(textOf(at(row, 1), at(row, 2)));
    const answers = withText.map((r) => [...r.slice(0, 3), ...r.slice(4)]);
    const a = numbers.get('A')!;
    expect(answers).toContainEqual([a, 'background', 'specialism', '', '', TRICKY, 'yes']);
    expect(answers).toContainEqual([a, 'followUps', 'why', 'Empathie', '3', TRICKY, 'yes']);
    expect(answers).toContainEqual([a, 'followUps', 'teamAttention', 'Analyseren', '3', '7', 'yes']);
    expect(answers).toContainEqual([numbers.get('C')!, 'background', 'changes', '', '', 'Meer casussen', 'no']);
    // Skipped answers are left out; the banded choices never sit next to an R code.
    expect(
      answers.filter((r) => r[0] === a && r[1] === 'followUps' && r[3] === 'Normen stellen').map((r) => r[2]),
    ).toEqual(['why']);
    expect(answers.some((r) => ['ageBand', 'experienceBand', 'workArea'].includes(at(r, 2)))).toBe(false);
    expect(answers.some((r) => r[0] === a && r[2] === 'changes')).toBe(false);
    expect(answers.map((r) => r[0])).toEqual(
      [...answers.map((r) => at(r, 0))].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1))),
    );

    // Only completed interviews: B's code, its answers and its sort are nowhere.
    const all = files.map(text).join('\n');
    expect(all).not.toContain('ONVOLTOOID');
    expect(background.some((r) => r[0] === 'B')).toBe(false);

    // The two code spaces never meet in one file.
    expect(background.flat().some((f) => /^R\d+$/.test(f))).toBe(false);
    for (const rows of [sorts, answers])
      expect(rows.flat().some((f) => COMPLETED.includes(f) || f === 'B')).toBe(false);
  });
});

test('csv in Dutch: Dutch headers and labels, a codebook that maps every header to its stable id, the JSON ids unchanged', async () => {
  const files = await exportRound({ stores, content, format: 'csv', delimiter: ';', locale: 'nl' });
  expect(files.map((f) => [f.name, f.contentType])).toEqual([
    ['default-background.csv', 'text/csv; charset=utf-8'],
    ['default-sorts.csv', 'text/csv; charset=utf-8'],
    ['default-answers.csv', 'text/csv; charset=utf-8'],
    ['default-codebook.csv', 'text/csv; charset=utf-8'],
  ]);
  const backgroundHeader = at(parseCsv(file(files, 'default-background.csv'), ';'), 0, 'header row');
  expect(backgroundHeader[0]).toBe('Lettercode');
  const [, ...answers] = parseCsv(file(files, 'default-answers.csv'), ';');
  expect(new Set(answers.map((r) => r[7]))).toEqual(new Set(['ja', 'nee']));
  const [codebookHeader, ...codebook] = parseCsv(file(files, 'default-codebook.csv'), ';');
  expect(codebookHeader).toEqual(['Bestand', 'Kolom', 'Vaste id (JSON-export)', 'Betekenis']);
  // Every header of every data file is in the codebook, with its stable id: the JSON's keys and the deck's ids.
  for (const name of ['default-background.csv', 'default-sorts.csv', 'default-answers.csv']) {
    const [header] = parseCsv(file(files, name), ';');
    expect(codebook.filter((r) => r[0] === name).map((r) => r[1])).toEqual(header);
  }
  expect(codebook.filter((r) => r[0] === 'default-background.csv').map((r) => r[2])).toEqual([
    'code',
    'ageBand',
    'experienceBand',
    'workArea',
  ]);
  expect(codebook.filter((r) => r[0] === 'default-sorts.csv').map((r) => r[2])).toEqual(['participant', ...deckIds]);
  expect(codebook.find((r) => r[2] === 'questionText')).toEqual([
    'default-answers.csv',
    'Vraag',
    'questionText',
    'De vraag zoals de deelnemer hem las',
  ]);
  const json = at(await exportRound({ stores, content, format: 'json' }), 0, 'JSON file');
  expect(json.contentType).toBe('application/json; charset=utf-8');
  const doc = JSON.parse(text(json));
  for (const row of doc.background) expect(Object.keys(row)).toEqual(['code', 'ageBand', 'experienceBand', 'workArea']);
  expect((await exportRound({ stores, content, format: 'pqmethod' })).map((f) => f.contentType)).toEqual([
    'text/plain; charset=us-ascii',
    'text/plain; charset=us-ascii',
  ]);
});

test('json: a versioned document whose code spaces stay apart', async () => {
  const json = at(await exportRound({ stores, content, format: 'json' }), 0, 'JSON file');
  expect(json.name).toBe('default.json');
  const doc = JSON.parse(text(json));
  const numbers = await expectedNumbers();
  expect(Object.keys(doc)).toEqual(['schema', 'round', 'deck', 'background', 'sorts', 'answers']);
  expect(doc.schema).toBe('wijzer.export/1');
  expect(doc.round).toMatchObject({
    id: 'default',
    guide: { id: 'wij-jeugdgeneralist' },
    deck: { id: 'wij-competenties' },
    scale: { min: -3, max: 3 },
    extremeColumns: [-3, 3],
    minCards: 10,
  });
  expect(doc.round).not.toHaveProperty('reminders');
  expect(doc.round).not.toHaveProperty('retentionMonths');
  expect(doc.round.choices.workArea.map((c: { id: string }) => c.id)).toContain('west');
  expect(doc.deck.map((s: { id: string }) => s.id)).toEqual(deckIds);
  expect(doc.deck[0]).toMatchObject({ number: 1, id: 'analyseren', cluster: { id: 'ondersteunen-bij-regievoeren' } });

  expect(doc.background).toEqual([
    { code: 'A', ageBand: 'age-35-39', experienceBand: 'exp-5-9', workArea: 'west' },
    { code: 'C', ageBand: 'age-25-29', experienceBand: null, workArea: 'zuid' },
    { code: 'D', ageBand: 'age-40-44', experienceBand: 'exp-20-24', workArea: 'oost' },
  ]);
  expect(doc.sorts.map((s: { participant: string }) => s.participant)).toEqual(['R1', 'R2', 'R3']);
  for (const code of COMPLETED) {
    const sort = doc.sorts.find((s: { participant: string }) => s.participant === numbers.get(code));
    expect(sort.placement).toEqual(specOf(code).placement);
    expect(Object.keys(sort)).toEqual(['participant', 'placement', 'selection']);
    expect([...sort.selection].sort()).toEqual(Object.keys(specOf(code).placement).sort());
  }
  expect(doc.answers).toContainEqual({
    participant: numbers.get('A'),
    step: 'followUps',
    question: 'teamAttention',
    competency: 'empathie',
    column: 3,
    text: '9',
    mayQuote: true,
  });
  for (const row of [...doc.sorts, ...doc.answers]) expect(row).not.toHaveProperty('code');
  for (const row of doc.background) expect(Object.keys(row)).toEqual(['code', 'ageBand', 'experienceBand', 'workArea']);
  expect(text(json)).not.toContain('ONVOLTOOID');
});

/** A reader written from PQMETHOD.md, by column offsets, independent of the writer. */
function readDat(dat: string) {
  expect(dat.endsWith('\r\n')).toBe(true);
  expect(dat.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const lines = dat.slice(0, -2).split('\r\n');
  const [first, second] = [at(lines, 0, 'line'), at(lines, 1, 'line')];
  const sortLines = lines.slice(2);
  expect(first.slice(0, 3)).toBe('  0');
  const nSorts = Number(first.slice(3, 6));
  const nStatements = Number(first.slice(6, 9));
  expect(first[9]).toBe(' ');
  const title = first.slice(10);
  expect(title.length).toBeLessThanOrEqual(68);
  expect(second).toHaveLength(3 * 22);
  const min = Number(second.slice(0, 3));
  const max = Number(second.slice(3, 6));
  const counts = Array.from({ length: 20 }, (_, i) => Number(second.slice(6 + 3 * i, 9 + 3 * i)));
  expect(sortLines).toHaveLength(nSorts);
  const sorts = sortLines.map((line, n) => {
    // qmethod: the number of statements from the line's length, which must match line 1.
    expect({ line: n + 3, statements: (line.length - 10) / 2 }).toEqual({ line: n + 3, statements: nStatements });
    const values = Array.from({ length: nStatements }, (_, i) => {
      const field = line.slice(10 + 2 * i, 12 + 2 * i);
      expect(field).toMatch(/^( \d|-\d)$/);
      return Number(field);
    });
    return { name: line.slice(0, 10).trimEnd(), values };
  });
  return { nSorts, nStatements, title, min, max, counts, sorts };
}

test('pqmethod: .DAT and .STA as the readers read them', async () => {
  const files = await exportRound({ stores, content, format: 'pqmethod' });
  expect(files.map((f) => f.name)).toEqual(['default.DAT', 'default.STA']);
  const dat = readDat(file(files, 'default.DAT'));
  const numbers = await expectedNumbers();

  expect(dat).toMatchObject({ nSorts: 3, nStatements: deckIds.length, title: 'Open pilotronde', min: -3, max: 3 });
  expect(dat.counts.reduce((a, b) => a + b, 0)).toBe(deckIds.length);
  dat.counts.forEach((c, i) => {
    if (i - 6 < -3 || i - 6 > 3) expect(c).toBe(0);
  });
  // The convention, recomputed here: mean cards per column over the sorts, largest remainder.
  const pooled = Array.from({ length: 7 }, (_, k) =>
    COMPLETED.reduce((n, code) => n + deckIds.filter((id) => (specOf(code).placement[id] ?? 0) === k - 3).length, 0),
  );
  const floors = pooled.map((p) => Math.floor(p / 3));
  expect(dat.counts.slice(3, 10).every((c, k) => c === floors[k] || c === at(floors, k) + 1)).toBe(true);

  expect(dat.sorts.map((s) => s.name)).toEqual(['R1', 'R2', 'R3']);
  for (const code of COMPLETED) {
    const sort = dat.sorts.find((s) => s.name === numbers.get(code))!;
    expect(sort.values).toEqual(deckIds.map((id) => specOf(code).placement[id] ?? 0));
  }

  const sta = file(files, 'default.STA');
  expect(sta.endsWith('\r\n')).toBe(true);
  const statements = sta.slice(0, -2).split('\r\n');
  expect(statements).toHaveLength(dat.nStatements);
  expect(statements[0]).toBe('Analyseren');
  expect(statements).toContain('Efficient werken');
  expect(statements).toContain("Samenwerken met collega's");
  for (const s of statements) {
    expect(s).toMatch(/^[\x20-\x7e]+$/);
    expect(s.length).toBeLessThanOrEqual(60);
  }
  expect(statements.find((s) => s.startsWith('Kennis over geweld'))).toMatch(/\.\.\.$/);
});

test('no export holds a letter and an R code in one element, nor anything of the key store', async () => {
  const exports = [
    ...(await exportRound({ stores, content, format: 'csv' })),
    ...(await exportRound({ stores, content, format: 'json' })),
    ...(await exportRound({ stores, content, format: 'pqmethod' })),
  ];
  const secrets = keyStoreSecrets();
  expect(secrets.filter((s) => /^[a-f0-9]{64}$/.test(s))).toHaveLength(SPECS.length); // the pseudonyms were found
  expect(secrets.filter((s) => /^[a-f0-9]{32}$/.test(s))).toHaveLength(COMPLETED.length); // and the number tokens
  for (const f of exports)
    for (const secret of secrets)
      expect({ file: f.name, holds: text(f).includes(secret) ? secret : null }).toEqual({ file: f.name, holds: null });
  const dat = text(exports.find((f) => f.name === 'default.DAT')!);
  expect(
    dat
      .split('\r\n')
      .slice(2)
      .some((l) => /^[A-Z]{1,2} /.test(l)),
  ).toBe(false);
});

test('the R numbers are a permutation of R1..Rn and stay the same for the same interviews', async () => {
  const first = JSON.parse(text(at(await exportRound({ stores, content, format: 'json' }), 0)));
  const again = JSON.parse(text(at(await exportRound({ stores, content, format: 'json', roundId: 'default' }), 0)));
  expect(first.sorts.map((s: { participant: string }) => s.participant).sort()).toEqual(['R1', 'R2', 'R3']);
  expect(again.sorts).toEqual(first.sorts);
});

test('the open distribution line: mean per column, whole cards by largest remainder', () => {
  // Pooled -1: 3, 0: 7, +1: 5 over 3 sorts of 5 → 1, 2.33, 1.67 → 1, 2, 1 with one card left → +1 (remainder 2 > 1).
  expect(
    meanDistribution(
      [
        [1, 1, 0, 0, -1],
        [1, 0, 0, 0, 0],
        [1, 1, 0, -1, -1],
      ],
      -1,
      1,
      5,
    ),
  ).toEqual([1, 2, 2]);
  // A tie between -1 and +1 goes to the column nearer 0, then to the lower one.
  expect(
    meanDistribution(
      [
        [1, 0],
        [-1, 0],
      ],
      -1,
      1,
      2,
    ),
  ).toEqual([1, 1, 0]);
  // Pooled 2, 5, 5 over 3 sorts: all remainders equal, the two cards left go to 0, then to -1.
  expect(
    meanDistribution(
      [
        [-1, -1, 0, 1],
        [0, 0, 1, 1],
        [0, 0, 1, 1],
      ],
      -1,
      1,
      4,
    ),
  ).toEqual([1, 2, 1]);
  expect(meanDistribution([], -3, 3, 32)).toEqual([0, 0, 0, 32, 0, 0, 0]);
});

test('no completed interviews, or an unknown round: a clear error', async () => {
  const empty = openLowdbStores(join(dir, 'empty-data'), join(dir, 'empty-keys'));
  await seedRounds(content, empty.answers, new Date());
  await expect(exportRound({ stores: empty, content, format: 'csv' })).rejects.toThrow(
    'round "default" has no completed interviews yet',
  );
  await expect(exportRound({ stores, content, format: 'csv', roundId: 'nope' })).rejects.toThrow(
    'no round "nope" in the store (rounds: default)',
  );
});

test('without a round id: the most recently opened round', async () => {
  const base = (await stores.answers.getRound('default'))!;
  await stores.answers.saveRound({ ...base, id: 'older', openedAt: '2020-01-01T00:00:00.000Z' });
  await stores.answers.saveRound({ ...base, id: 'planned', status: 'draft', openedAt: null, opensAt: '2099-01-01' });
  const json = at(await exportRound({ stores, content, format: 'json' }), 0, 'JSON file');
  expect(json.name).toBe('default.json');
});

describe('the CLI', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: {
        env: { DATA_DIR: dataDir, KEY_DIR: keyDir, CONTENT_DIR: process.cwd() },
        out: (l: string) => out.push(l),
        err: (l: string) => err.push(l),
      },
    };
  };

  test('writes the files into a new folder and names them', async () => {
    const run = io();
    const outDir = join(dir, 'out', 'nested');
    expect(await main(['--format', 'csv', '--delimiter', ';', '--out', outDir], run.io)).toBe(0);
    expect(readdirSync(outDir).sort()).toEqual(['default-answers.csv', 'default-background.csv', 'default-sorts.csv']);
    expect(run.out.join('\n')).toContain(join(outDir, 'default-sorts.csv'));
    expect(readFileSync(join(outDir, 'default-sorts.csv'), 'utf8').split('\r\n')[1]).toMatch(/^R1;/);
    expect(await main(['--round=default', '--format=pqmethod', `--out=${outDir}`], run.io)).toBe(0);
    expect(readdirSync(outDir)).toEqual(expect.arrayContaining(['default.DAT', 'default.STA']));
  });

  test('--locale nl: Dutch column names, ";" by default, and a codebook beside the data', async () => {
    const run = io();
    const outDir = join(dir, 'nl');
    expect(await main(['--format', 'csv', '--locale', 'nl', '--out', outDir], run.io)).toBe(0);
    expect(readdirSync(outDir).sort()).toEqual([
      'default-answers.csv',
      'default-background.csv',
      'default-codebook.csv',
      'default-sorts.csv',
    ]);
    const [header] = parseCsv(readFileSync(join(outDir, 'default-answers.csv'), 'utf8'), ';');
    expect(header).toEqual([
      'Deelnemer',
      'Stap',
      'Vraag-id',
      'Vraag',
      'Competentie',
      'Kolom',
      'Antwoord',
      'Mag geciteerd worden',
    ]);
    expect(await main(['--format', 'csv', '--locale', 'en', '--out', join(dir, 'en')], run.io)).toBe(0);
    expect(readFileSync(join(dir, 'en', 'default-answers.csv'), 'utf8')).toMatch(
      /^\uFEFFParticipant,Step,Question id,Question,/,
    );
  });

  test.each([
    [['--format', 'json', '--out', 'x', '--locale', 'nl'], '--locale applies to --format csv only'],
    [['--format', 'csv', '--out', 'x', '--locale', 'de'], '--locale must be nl or en (got "de")'],
    [['--format', 'xml', '--out', 'x'], '--format must be csv, json or pqmethod (got "xml")'],
    [['--out', 'x'], '--format is required'],
    [['--format', 'csv'], '--out FOLDER is required'],
    [['--format', 'csv', '--out', 'x', '--delimiter', '|'], '--delimiter must be "," or ";"'],
    [['--format', 'json', '--out', 'x', '--delimiter', ';'], '--delimiter applies to --format csv only'],
    [['--format', 'csv', '--out', 'x', '--colour', 'red'], 'unknown option --colour'],
    [['--format', 'csv', 'x'], 'unexpected argument "x"'],
    [['--format'], '--format needs a value'],
  ])('%j exits 2 with a clear message', async (argv, message) => {
    const run = io();
    expect(await main(argv, run.io)).toBe(2);
    expect(run.err.join('\n')).toContain(message);
    expect(run.err.join('\n')).toContain('usage: npm run export');
  });

  test('an unknown round exits 1 and says which rounds exist', async () => {
    const run = io();
    expect(await main(['--round', 'nope', '--format', 'json', '--out', join(dir, 'o')], run.io)).toBe(1);
    expect(run.err.join('\n')).toContain('no round "nope" in the store (rounds: default)');
  });
});
