import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyseRound } from '../../src/analysis/pipeline.js';
import { summarise, viewpointsSection } from '../../src/analysis/summary.js';
import { quasiNormal, randomViewpoints, syntheticSorts } from '../../src/analysis/synthetic.js';
import { expandCard } from '../../src/content/cardTemplate.js';
import { loadContent } from '../../src/content/load.js';
import { createRecord } from '../../src/interview/engine.js';
import type { FollowUp, InterviewRecord } from '../../src/interview/types.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import type { Stores } from '../../src/ports/stores.js';
import { contextFor } from '../support/context.js';
import { at, cell } from '../support/defined.js';

/*
 * A round read from the stores as the export reads it: two groups of six generalists sharing two viewpoints, a
 * thirteenth who stopped halfway. Quotes come only from defining participants who agreed to be quoted, on the
 * viewpoint's extreme cards, scrubbed; viewpoints below the round's k stay in the researcher's file.
 */

const content = loadContent();
const ctx = contextFor();
const ids = ctx.deck.clusters.flatMap((c) => c.competencies.map((k) => k.id));
const names = ctx.deck.clusters.flatMap((c) => c.competencies.map((k) => k.name.nl));
const n = ids.length;
const sorts = syntheticSorts({
  viewpoints: randomViewpoints(2, n, 31),
  perViewpoint: [6, 6],
  distribution: quasiNormal(n),
  noise: 0.5,
  seed: 32,
});

let dir: string;
let stores: Stores;

/** Participant i: picks the cards that are not at 0; follow-ups on the cards at -3 and +3. */
function record(code: string, i: number): InterviewRecord {
  const placement = Object.fromEntries(ids.map((id, s) => [id, cell(sorts, i, s)]).filter(([, v]) => v !== 0));
  const followUps: Record<string, FollowUp> = Object.fromEntries(
    Object.entries(placement)
      .filter(([, v]) => Math.abs(v as number) === 3)
      .map(([id, column]) => [
        id,
        {
          column: column as number,
          answers: {
            why: i === 0 ? `Participant ${i} zegt: bel me op 06-12345678 over ${id}` : `reden ${i} bij ${id}`,
            useNow: null,
            bond: null,
            teamAttention: 6,
            teamAttentionWhy: null,
          },
        },
      ]),
  );
  return {
    ...createRecord(ctx, code, i !== 1, null),
    rev: 1,
    selection: Object.keys(placement),
    placement,
    followUps,
    completedAt: '2026-11-25T11:00:00.000Z',
  };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-analyse-'));
  stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
  await seedRounds(content, stores.answers, new Date());
  for (let i = 0; i < 13; i++) {
    const created = await stores.answers.createInterview('default', (code) => createRecord(ctx, code, true, null));
    const full = record(created.code, i < 12 ? i : 0);
    await stores.answers.saveInterview(
      { ...full, rev: created.rev + 1, completedAt: i < 12 ? full.completedAt : null },
      created.rev,
    );
  }
});
afterEach(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a round from the stores', () => {
  test('its completed sorts under R numbers, unpicked cards at 0, two viewpoints of six defining sorts', async () => {
    const a = await analyseRound(stores, content, 'default', { parallel: { iterations: 200 } });
    expect(a.result.nSorts).toBe(12);
    expect(a.data.sortNames).toEqual(Array.from({ length: 12 }, (_, i) => `R${i + 1}`));
    expect(a.data.placed).toEqual(a.data.sorts.map((s) => s.filter((v) => v !== 0).length));
    // Every stored placement is in its sort; the rest is 0.
    const multiset = (rows: number[][]) => rows.map((r) => r.join()).sort();
    expect(multiset(a.data.sorts)).toEqual(multiset(sorts));
    expect(a.result.nFactors).toBe(2);
    expect(a.result.factors.map((f) => f.definingSorts)).toEqual([6, 6]);
    expect(a.result.distribution.kind).toBe('forced');
    expect(a.statements[0]).toBe(names[0]);
  });

  test('quotes: only defining participants who agreed to be quoted, on extreme cards, scrubbed', async () => {
    const a = await analyseRound(stores, content, 'default', { factors: 2, parallel: { iterations: 0 } });
    const all = a.quotes.byFactor.flat();
    expect(all.length).toBeGreaterThan(0);
    const codeOf = (i: number) => a.data.sortNames[a.data.sorts.findIndex((s) => s.join() === at(sorts, i).join())];
    // Participant 1 did not agree to be quoted.
    expect(all.some((q) => q.code === codeOf(1))).toBe(false);
    // Participant 0's phone number is scrubbed.
    const own = all.filter((q) => q.code === codeOf(0));
    expect(own.length).toBeGreaterThan(0);
    for (const q of own) {
      expect(q.text).toContain('[telefoon]');
      expect(q.text).not.toContain('06-12345678');
    }
    for (const q of all) {
      const sort = a.data.sortNames.indexOf(q.code);
      expect(a.result.flagged[sort]).toBe(q.factor);
      const array = a.result.factorArrays.map((row) => row[q.factor] as number);
      expect([Math.min(...array), Math.max(...array)]).toContain(array[q.statement]);
    }
  });

  test('the Teams summary and the digest section name viewpoints with at least k defining sorts only', async () => {
    const a = await analyseRound(stores, content, 'default', { factors: 2, parallel: { iterations: 0 } });
    expect(a.result.k).toBe(5);
    expect(a.summary.shown.map((v) => v.definingSorts)).toEqual([6, 6]);
    expect(at(a.summary.shown, 0).top).toHaveLength(3);
    expect(a.summaryMarkdown).toContain(
      '12 sorteringen; 2 gezichtspunten gevonden, 2 met minstens 5 definiërende sorteringen',
    );
    const card = expandCard(a.summaryCard);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(JSON.stringify(card)).toContain('12 sorteringen; 2 gezichtspunten gevonden');
    expect(a.viewpoints?.markdown).toContain('## Gezichtspunten');
    // With k = 7 both viewpoints stay in the researcher's file, and are marked there.
    const strict = summarise(a.result, a.statements, { k: 7 });
    expect(strict.shown).toEqual([]);
    expect(strict.hidden).toBe(2);
    expect(viewpointsSection(a.result, a.statements, 'nl', 7)).toBeNull();
    const round = (await stores.answers.getRound('default'))!;
    await stores.answers.saveRound({ ...round, digest: { ...round.digest, k: 7 } });
    const marked = await analyseRound(stores, content, 'default', {
      factors: 2,
      parallel: { iterations: 0 },
      locale: 'en',
    });
    expect(marked.result.factors.every((f) => f.belowK)).toBe(true);
    expect(marked.viewpoints).toBeNull();
    expect(marked.summaryMarkdown).toContain(
      "2 viewpoints with fewer than 7 defining sorts are in the researcher's file only",
    );
    const md = at(marked.files('md'), 0).content as string;
    expect(md).toContain('fewer than k = 7 defining sorts: only in this file, not in Teams or the digest');
  });

  test('the report says when it was made in Amsterdam time, as the digest does', async () => {
    // 10:00 UTC in July is 12:00 in Amsterdam (summer time), in January 11:00.
    const summer = await analyseRound(stores, content, 'default', {
      factors: 2,
      parallel: { iterations: 0 },
      locale: 'nl',
      now: new Date('2026-07-01T10:00:00Z'),
    });
    expect(at(summer.files('md'), 0).content).toContain('Gemaakt op 1 juli 2026, 12:00 (Nederlandse tijd)');
    const winter = await analyseRound(stores, content, 'default', {
      factors: 2,
      parallel: { iterations: 0 },
      locale: 'en',
      now: new Date('2026-01-15T10:00:00Z'),
    });
    expect(at(winter.files('html'), 0).content).toContain('Made on 15 January 2026, 11:00 (Dutch time)');
  });

  test('the report says unpicked cards count as 0 and shows the cards each sort placed', async () => {
    const a = await analyseRound(stores, content, 'default', {
      factors: 2,
      parallel: { iterations: 50 },
      locale: 'en',
    });
    const mdFiles = a.files('md');
    const [md, png] = [at(mdFiles, 0), at(mdFiles, 1)];
    expect(md.name).toBe('default-analysis.md');
    expect(png.name).toBe('default-analysis-scree.png');
    expect((png.content as Buffer).subarray(1, 4).toString()).toBe('PNG');
    const text = md.content as string;
    expect(text).toContain('Cards a participant did not pick count as 0');
    expect(text).toContain('| Sort | Placed | F1 | F2 | h² |');
    expect(text).toContain(`| R1 | ${a.data.placed[0]} |`);
    expect(text).toContain('![Scree plot');
    expect(text).toContain('### Factor array as a Q-sort board');
    expect(text).toContain('| -3 | -2 | -1 | 0 | +1 | +2 | +3 |');
    expect(text).toContain('### Quotes');
    const html = at(a.files('html'), 0);
    expect(html.name).toBe('default-analysis.html');
    expect(html.content as string).toContain('src="data:image/png;base64,');
    const json = JSON.parse(at(a.files('json'), 0).content as string);
    for (const field of [
      'nSorts',
      'nStatements',
      'eigenvalues',
      'explainedVariance',
      'loadings',
      'flagged',
      'zScores',
      'factorArrays',
      'compositeReliability',
      'standardErrors',
      'distinguishing',
      'consensus',
    ]) {
      expect(json).toHaveProperty(field);
    }
    expect(json.loadings).toHaveLength(12);
    expect(json.zScores).toHaveLength(n);
    expect(json.placed).toEqual(a.data.placed);
  });
});
