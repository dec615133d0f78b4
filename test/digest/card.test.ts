/**
 * The digest card as the Academie reads it in a channel: competency names whole (a Table, names wrap), every figure
 * labelled, the chart as wide as the card, valid Adaptive Cards 1.5 within Teams' 28 KB.
 */
import * as AC from 'adaptivecards';
import { buildDigest } from '../../src/digest/aggregate.js';
import { CARD_LIMIT, cardBytes, digestCards, renderDigestCard } from '../../src/digest/card.js';
import type { InterviewRecord } from '../../src/interview/types.js';
import { deck, digestOf, guide, interviews, NOW, PREVIOUS, record, roundWith } from './fixtures.js';
import type { AnyCardView } from '../../src/teams/cardTemplates.js';
import { at, only } from '../support/defined.js';

type Json = Record<string, unknown>;

function digestIn(language: 'nl' | 'en') {
  const round = roundWith();
  return buildDigest({
    round: { ...round, digest: { ...round.digest, language } },
    guide,
    deck,
    interviews,
    invited: 8,
    previous: PREVIOUS,
    now: NOW,
  });
}

/** Every element of a card, depth first (containers, tables, rows and cells included). */
function elements(node: unknown): Json[] {
  if (Array.isArray(node)) return node.flatMap(elements);
  if (!node || typeof node !== 'object') return [];
  const e = node as Json;
  const children = [e.body, e.items, e.columns, e.rows, e.cells].flatMap((c) => elements(c));
  return typeof e.type === 'string' ? [e, ...children] : children;
}

const cellText = (cell: Json) => at(cell.items as Json[], 0, 'cell item').text as string;

describe.each(['nl', 'en'] as const)('the channel card (%s)', (language) => {
  const digest = digestIn(language);
  const cards = digestCards(digest).map((c) => renderDigestCard(c));

  test('valid Adaptive Cards 1.5 (as the adaptivecards parser reads them), each below 28 KB', () => {
    for (const [i, card] of cards.entries()) {
      expect(card.version).toBe('1.5');
      const context = new AC.SerializationContext(AC.Versions.v1_5);
      new AC.AdaptiveCard().parse(card, context);
      const problems = Array.from({ length: context.eventCount }, (_, e) => context.getEventAt(e).message);
      expect(problems).toEqual([]);
      expect(cardBytes(at(digestCards(digest), i))).toBeLessThan(CARD_LIMIT);
    }
  });

  test('per cluster a Table: a header row labels every column, each competency has its whole name in a wrapping cell', () => {
    const tables = cards.flatMap(elements).filter((e) => e.type === 'Table');
    expect(tables).toHaveLength(deck.clusters.length);
    const header = (at(at(tables, 0).rows as Json[], 0).cells as Json[]).map(cellText);
    expect(header).toEqual(
      language === 'nl'
        ? ['Competentie', '−3', '−2', '−1', '0', '+1', '+2', '+3', 'n.g.']
        : ['Competency', '−3', '−2', '−1', '0', '+1', '+2', '+3', 'n.p.'],
    );
    expect(at(tables, 0).firstRowAsHeader).toBe(true);
    // Names left, figures centred, set per column (not per cell: the cards stay small).
    expect((at(tables, 0).columns as Json[]).map((c) => c.horizontalCellContentAlignment)).toEqual([
      'Left',
      ...Array(8).fill('Center'),
    ]);
    const names = tables.flatMap((t) => (t.rows as Json[]).slice(1).map((r) => at(r.cells as Json[], 0)));
    expect(names.map(cellText)).toEqual(deck.clusters.flatMap((c) => c.competencies.map((x) => x.name[language])));
    for (const cell of names) expect(at(cell.items as Json[], 0).wrap).toBe(true);
    // The long names that looked alike when cut ("Kennis over...", "Kennis van ...") are whole and distinct.
    const long = names.map(cellText).filter((n) => n.length > 25);
    expect(long.length).toBeGreaterThan(3);
    expect(new Set(long).size).toBe(long.length);
    for (const e of cards.flatMap(elements))
      if (e.type === 'TextBlock') expect(String(e.text)).not.toMatch(/\.\.\.$|…$/);
  });

  test('the count cells are coloured by the side of the scale, as in the chart', () => {
    const analyseren = cards
      .flatMap(elements)
      .filter((e) => e.type === 'TableRow')
      .find(
        (r) =>
          cellText(at(r.cells as Json[], 0)) ===
          at(deck.clusters, 0).competencies.find((c) => c.id === 'analyseren')!.name[language],
      )!;
    // Analyseren: 1 at +1, 1 at +2, 3 at +3, not picked 1 (test/digest/aggregate.test.ts).
    expect((analyseren.cells as Json[]).map((c) => [cellText(c), c.style])).toEqual([
      [expect.any(String), undefined],
      ['·', 'default'],
      ['·', 'default'],
      ['·', 'default'],
      ['·', 'default'],
      ['1', 'good'],
      ['1', 'good'],
      ['3', 'good'],
      ['1', 'default'],
    ]);
  });

  test('every figure of the response is labelled, the change included', () => {
    const facts = cards
      .flatMap(elements)
      .filter((e) => e.type === 'FactSet')
      .flatMap((f) => f.facts as { title: string; value: string }[]);
    const since = language === 'nl' ? 'sinds de vorige' : 'since the last';
    expect(facts.map((f) => [f.title, f.value])).toEqual(
      language === 'nl'
        ? [
            ['Uitgenodigd', `8 (+5 ${since})`],
            ['Afgerond', `6 (+4 ${since})`],
            ['Nog bezig', `1 (−1 ${since})`],
          ]
        : [
            ['Invited', `8 (+5 ${since})`],
            ['Completed', `6 (+4 ${since})`],
            ['Still in progress', `1 (−1 ${since})`],
          ],
    );
  });

  test('the chart fills the card width; the note states the lower limits of n', () => {
    const images = cards.flatMap(elements).filter((e) => e.type === 'Image');
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image.size).toBe('Stretch');
    // A data URI cannot open in Teams' stage view: no expand button that would not work.
    for (const image of images) expect(image.msteams).toBeUndefined();
    expect(JSON.stringify(cards)).toContain(language === 'nl' ? 'pas bij n ≥ 3' : 'from n ≥ 3');
  });
});

test("a chart at a URL opens in Teams' stage view (zoom)", () => {
  const [card] = digestCards(digestIn('nl'), { chart: { url: 'https://wijzer.example/digest/chart.png' } }).map((c) =>
    renderDigestCard(c),
  );
  const image = elements(card).find((e) => e.type === 'Image')!;
  expect(image).toMatchObject({
    url: 'https://wijzer.example/digest/chart.png',
    size: 'Stretch',
    msteams: { allowExpand: true },
  });
});

describe('the card views', () => {
  const digest = digestOf();
  const round = roundWith();

  test('every view is a digest card below 28 KB, schema 1.5, full width, with the chart', () => {
    const cards = digestCards(digest);
    const sizes = cards.map((c) => cardBytes(c));
    for (const size of sizes) expect(size).toBeLessThan(CARD_LIMIT);
    const rendered = cards.map((c) => renderDigestCard(c));
    for (const card of rendered)
      expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', msteams: { width: 'Full' } });
    const text = JSON.stringify(rendered);
    expect(text).toContain('data:image/png;base64,');
    expect(text).toContain('Analyseren');
    expect(text).toContain('"text":"“Korte sessies in het team.”"');
    expect(text).not.toMatch(/\bR\d+\b/);
    expect(cards.every((c) => c.template === 'digest')).toBe(true);
    // Compile-time: a digest view is one of the cards the bot's registry renders.
    const asCardView: AnyCardView[] = cards;
    expect(asCardView).toHaveLength(cards.length);
  });

  test('a chart URL and a link to the full version', () => {
    const cards = digestCards(digest, {
      chart: { url: 'https://wijzer.example/digest/chart.png' },
      fullUrl: 'https://wijzer.example/digest/full',
    });
    const text = JSON.stringify(cards.map((c) => renderDigestCard(c)));
    expect(text).not.toContain('data:image');
    expect(text).toContain('"url":"https://wijzer.example/digest/chart.png"');
    expect(text).toContain('"type":"Action.OpenUrl"');
  });

  test('a huge number of quotes splits over several cards, each below 28 KB, every quote once and in order', () => {
    const many: InterviewRecord[] = [];
    for (let i = 0; i < 120; i++) {
      const text = `Ik zou graag meer training willen over gesprekken met ouders, nummer ${i} van de reeks, ${'want dat helpt echt in het werk '.repeat(7).trim()}.`;
      many.push(
        record(`Q${i}`, {
          quote: true,
          placement: { analyseren: (i % 7) - 3 },
          answers: { organisation: { academy: text }, training: { need: text, form: text } },
        }),
      );
    }
    const d = buildDigest({ round, guide, deck, interviews: many, invited: 0, previous: null, now: NOW });
    expect(d.details!.quotes.map((g) => g.quotes.length)).toEqual([120, 120, 120]);
    const cards = digestCards(d);
    expect(cards.length).toBeGreaterThan(3);
    for (const c of cards) expect(cardBytes(c)).toBeLessThan(CARD_LIMIT);
    const shown = cards.flatMap((c) =>
      c.data.blocks.flatMap((b) => b.quotes.map((q) => /nummer (\d+) /.exec(q.text)![1])),
    );
    // Every quote once per group, in the order of the groups' (sorted) quotes.
    const order = at(d.details!.quotes, 0).quotes.map((q) => /nummer (\d+) /.exec(q.text)![1]);
    expect([...order].sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 120 }, (_, i) => String(i)));
    expect(shown).toEqual([...order, ...order, ...order]);
    expect(cards.map((c) => c.data.subtitle).every((s, i) => s.endsWith(`deel ${i + 1} van ${cards.length}`))).toBe(
      true,
    );
    expect(JSON.stringify(cards)).toContain('(vervolg)');
  });

  test('below k: one small card with the response', () => {
    const d = digestOf(interviews.slice(0, 3));
    const cards = digestCards(d);
    expect(cards).toHaveLength(1);
    expect(cardBytes(only(cards))).toBeLessThan(2048);
  });
});
