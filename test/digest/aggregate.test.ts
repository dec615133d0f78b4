import { buildDigest } from '../../src/digest/aggregate.js';
import { digestCards, renderDigestCard } from '../../src/digest/card.js';
import { digestHtml } from '../../src/digest/html.js';
import { digestMarkdown } from '../../src/digest/markdown.js';
import { deck, digestOf, guide, interviews, NOW, PREVIOUS, roundWith, SPECS } from './fixtures.js';
import { at, only } from '../support/defined.js';

const round = roundWith();
const digest = digestOf();
const details = digest.details!;
const row = (id: string) => details.clusters.flatMap((c) => c.rows).find((r) => r.id === id)!;
const Z = [0, 0, 0, 0, 0, 0, 0];

describe('aggregation (golden, worked out by hand)', () => {
  test('response: completed and in progress, the change since the previous digest', () => {
    expect(digest.response).toEqual({
      invited: 8,
      openRound: false,
      completed: 6,
      inProgress: 1,
      change: { since: '2026-11-30T08:00:00.000Z', invited: 5, completed: 4, inProgress: -1 },
    });
    expect(digest.snapshot).toEqual({ at: NOW.toISOString(), invited: 8, completed: 6, inProgress: 1, details: 6 });
    expect(digest.locale).toBe('nl');
    expect(details.n).toBe(6);
  });

  test('per cluster, in deck order: counts per column −3..+3 and how many did not pick it (Tabel 3-9)', () => {
    expect(details.clusters.map((c) => c.id)).toEqual(deck.clusters.map((c) => c.id));
    expect(details.columns.map((c) => c.value)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(at(details.columns, 0).label).toBe('sluit niet aan');
    const table = (i: number) => at(details.clusters, i).rows.map((r) => [r.id, r.counts, r.notPicked]);
    //                                   −3 −2 −1  0 +1 +2 +3   not picked
    expect(table(0)).toEqual([
      ['analyseren', [0, 0, 0, 0, 1, 1, 3], 1],
      ['normen-stellen', [1, 0, 1, 0, 0, 0, 0], 4],
      ['samen-doen', [0, 0, 1, 1, 1, 0, 0], 3],
      ['signaleren', [0, 0, 0, 0, 1, 1, 2], 2],
      ['stimuleren', [0, 1, 1, 0, 0, 1, 0], 3],
    ]);
    expect(table(1)).toEqual([
      ['aansluiten', [0, 0, 0, 1, 1, 1, 0], 3],
      ['empathie', [2, 1, 0, 0, 0, 0, 1], 2],
      ['professionele-afstand', Z, 6],
      ['respect-hebben', [0, 0, 0, 0, 1, 1, 2], 2],
    ]);
    expect(table(5)).toEqual([
      ['bewustzijn-eigen-referentiekader', Z, 6],
      ['reflecteren', [0, 0, 0, 1, 0, 1, 0], 4],
    ]);
    for (const i of [2, 3, 4, 6])
      for (const [, counts, notPicked] of table(i)) expect([counts, notPicked]).toEqual([Z, 6]);
    expect(at(details.clusters, 0).name).toBe('Ondersteunen bij regievoeren');
  });

  test('mean column (n ≥ 3) and sample standard deviation (n ≥ 5), rounded to one decimal (halves away from zero)', () => {
    expect(round.digest.minN).toEqual({ mean: 3, spread: 5, attention: 3 });
    const stats = (id: string) => [row(id).n, row(id).mean, row(id).sd];
    expect(stats('analyseren')).toEqual([5, 2.4, 0.9]); // 12/5; √(3.2/4)
    expect(stats('normen-stellen')).toEqual([2, null, null]); // two columns: no mean, no spread
    expect(stats('samen-doen')).toEqual([3, 0, null]);
    expect(stats('signaleren')).toEqual([4, 2.3, null]); // 9/4 = 2.25
    expect(stats('stimuleren')).toEqual([3, -0.3, null]); // −1/3
    expect(stats('aansluiten')).toEqual([3, 1, null]);
    expect(stats('empathie')).toEqual([4, -1.3, null]); // −5/4 = −1.25
    expect(stats('respect-hebben')).toEqual([4, 2.3, null]);
    expect(stats('reflecteren')).toEqual([2, null, null]);
    expect(stats('professionele-afstand')).toEqual([0, null, null]);
  });

  test("the lower limits are the round's: with mean 2 and spread 2 the two-column means and spreads appear", () => {
    const loose = buildDigest({
      round: roundWith({ digest: { ...round.digest, minN: { mean: 2, spread: 2, attention: 2 } } }),
      guide,
      deck,
      interviews,
      invited: 8,
      previous: null,
      now: NOW,
    });
    const rowOf = (id: string) => loose.details!.clusters.flatMap((c) => c.rows).find((r) => r.id === id)!;
    expect([rowOf('normen-stellen').mean, rowOf('normen-stellen').sd]).toEqual([-2, 1.4]); // (−3 −1)/2; √2
    expect([rowOf('empathie').mean, rowOf('empathie').sd]).toEqual([-1.3, 2.9]); // √(24.75/3) = 2.87
    expect(loose.details!.attention!.items.map((r) => r.id)).toEqual([
      'empathie',
      'signaleren',
      'analyseren',
      'respect-hebben',
    ]);
  });

  test('a round stored before the lower limits existed gets the defaults', () => {
    const { minN: _, ...old } = round.digest;
    const d = buildDigest({
      round: { ...round, digest: old as typeof round.digest },
      guide,
      deck,
      interviews,
      invited: 8,
      previous: null,
      now: NOW,
    });
    expect(d.minN).toEqual({ mean: 3, spread: 5, attention: 3 });
    expect(d.details!.disagreement.map((r) => r.id)).toEqual(['analyseren']);
  });

  test('most and least fitting: by mean with n ≥ 3 (ties: larger n, then deck order) and by count at the outer columns', () => {
    expect(details.most.byMean).toEqual([
      { id: 'analyseren', name: 'Analyseren', mean: 2.4, n: 5 },
      { id: 'signaleren', name: 'Signaleren', mean: 2.3, n: 4 },
      { id: 'respect-hebben', name: 'Respect hebben', mean: 2.3, n: 4 },
      { id: 'aansluiten', name: 'Aansluiten', mean: 1, n: 3 },
      { id: 'samen-doen', name: 'Samen doen', mean: 0, n: 3 },
    ]);
    // The least fitting never repeat the five best: two with n ≥ 3 are left (normen-stellen and reflecteren have n = 2).
    expect(details.least.byMean.map((r) => [r.id, r.mean, r.n])).toEqual([
      ['empathie', -1.3, 4],
      ['stimuleren', -0.3, 3],
    ]);
    // At +2 or +3; ties: more at +3, then deck order.
    expect(details.most.byCount.map((r) => [r.id, r.count, r.n])).toEqual([
      ['analyseren', 4, 5],
      ['signaleren', 3, 4],
      ['respect-hebben', 3, 4],
      ['empathie', 1, 4],
      ['stimuleren', 1, 3],
    ]);
    // At −2 or −3; ties: more at −3, then deck order; normen-stellen (1 of 2) has too few placements for a share.
    expect(details.least.byCount.map((r) => [r.id, r.count, r.n])).toEqual([
      ['empathie', 3, 4],
      ['stimuleren', 1, 3],
    ]);
    expect(details.neverPicked).toHaveLength(32 - 9);
    expect(details.neverPicked.slice(0, 3).map((r) => r.id)).toEqual([
      'professionele-afstand',
      'alert-blijven',
      'lef-tonen',
    ]);
  });

  test('widest disagreement: standard deviation with n ≥ 5 only (the fixture has one such competency)', () => {
    expect(details.disagreement.map((r) => [r.id, r.sd, r.mean, r.n])).toEqual([['analyseren', 0.9, 2.4, 5]]);
  });

  test('attention in the WIJ team: mean rating with n ≥ 3, lowest first; skipped and unfinished ratings do not count', () => {
    expect(details.attention).toMatchObject({ min: 1, max: 10 });
    expect(details.attention!.items.map((r) => [r.id, r.mean, r.n])).toEqual([
      ['empathie', 4, 3], // 4, 5, 3
      ['analyseren', 7, 3], // 7, 8, 6 (G's 1 is not completed); signaleren (6, 5) and respect-hebben (9, 8) have n = 2
    ]);
  });

  test('the notes state the lower limits', () => {
    expect(digestMarkdown(digest)).toContain(
      'een gemiddelde kolom of een aandeel ("3 van 4 die haar kozen") staat er pas bij n ≥ 3, een standaardafwijking bij n ≥ 5, een gemiddeld aandachtscijfer bij n ≥ 3',
    );
    expect(digestMarkdown(digestOf(interviews, { locale: 'en' }))).toContain(
      'a mean column or a share ("3 of the 4 who picked it") is shown from n ≥ 3, a standard deviation from n ≥ 5, a mean attention rating from n ≥ 3',
    );
  });

  test('quotes: consenting, completed participants only, scrubbed, without a number, sorted by text; names, phone numbers and one-word answers are dropped', () => {
    expect(details.quotes.map((g) => [g.question, g.heading, g.quotes])).toEqual([
      [
        'academy',
        'Over de WIJ Academie',
        [
          {
            text: 'De WIJ Academie biedt veel aan, maar weinig specifiek voor jeugd. Ik mis verdieping in veiligheid.',
          }, // A
          { text: 'Ik weet eigenlijk niet goed wat de Academie allemaal aanbiedt.' }, // F
        ],
      ],
      [
        'need',
        'Behoefte aan scholing of ondersteuning',
        [
          { text: 'Behoefte aan training in motiverende gespreksvoering, vooral bij jongeren.' }, // E
          {
            text: 'Ik heb vooral behoefte aan scholing over veiligheid in gezinnen waar veel speelt. Daarnaast wil ik leren hoe ik beter samenwerk met de specialistische jeugdhulp en het onderwijs. …',
          }, // D
          { text: 'Meer scholing over gesprekken met ouders die niet willen meewerken.' }, // A
        ],
      ],
      [
        'form',
        'Hoe scholing of ondersteuning eruit zou moeten zien',
        [
          { text: 'Korte sessies in het team.' }, // A
          { text: 'Liever een vaste coach dan een losse training. Dat werkt voor mij het beste.' }, // D
        ],
      ],
    ]);
    const all = JSON.stringify(digest);
    for (const secret of ['Jansen', '06-12345678', 'Pieter', 'Ahmed', 'GEEN-TOESTEMMING', 'ONVOLTOOID', 'participant'])
      expect(all).not.toContain(secret);
  });

  test('the order of the quotes does not depend on the order of the interviews', () => {
    expect(digestOf([...interviews].reverse()).details!.quotes).toEqual(details.quotes);
  });

  test('with no quote consent at all there are no quotes', () => {
    const d = digestOf(interviews.map((r) => ({ ...r, consent: { ...r.consent, quote: false } })));
    expect(d.details!.quotes.every((g) => g.quotes.length === 0)).toBe(true);
  });

  test('an open round without invitations, and a first digest', () => {
    const d = buildDigest({
      round: roundWith({ audience: 'open' }),
      guide,
      deck,
      interviews,
      invited: 0,
      previous: null,
      now: NOW,
    });
    expect(d.response).toEqual({ invited: 0, openRound: true, completed: 6, inProgress: 1, change: null });
  });

  test("English on the round's setting", () => {
    const d = buildDigest({
      round: roundWith({ digest: { ...round.digest, language: 'en' } }),
      guide,
      deck,
      interviews,
      invited: 8,
      previous: null,
      now: NOW,
    });
    expect(d.locale).toBe('en');
    expect(at(d.details!.clusters, 0).name).toBe('Supporting self-direction');
    expect(at(d.details!.quotes, 1).heading).toBe('Need for training or support');
    expect(digestMarkdown(d)).toContain('| Competency | −3 | −2 | −1 | 0 | +1 | +2 | +3 | n.p. | mean | n |');
  });
});

// The threshold is the aggregate's decision; every renderer must show only what it lets through.
describe('privacy threshold k', () => {
  const completed = interviews.filter((r) => r.completedAt);
  const unfinished = interviews.filter((r) => !r.completedAt);

  test('4 completed with k = 5: the response only, and that details follow at 5', () => {
    const d = digestOf([...completed.slice(0, 4), ...unfinished]);
    expect(d.details).toBeNull();
    expect(d.response).toMatchObject({ completed: 4, inProgress: 1 });
    const md = digestMarkdown(d);
    expect(md).toContain('details volgen bij 5 afgeronde interviews');
    const html = digestHtml(d);
    const cards = digestCards(d);
    expect(cards).toHaveLength(1);
    const card = JSON.stringify(renderDigestCard(only(cards)));
    for (const out of [md, html, card]) {
      expect(out).not.toMatch(/data:image\/png/);
      for (const word of ['Analyseren', 'Per cluster', 'verdieping', 'R4', 'Aandacht']) expect(out).not.toContain(word);
    }
    expect(card).toContain('details volgen bij 5 afgeronde interviews');
  });

  test('the final digest of a round closed below k says so, and promises no details', () => {
    const closed = roundWith({ status: 'closed', closedAt: NOW.toISOString() });
    const d = buildDigest({
      round: closed,
      guide,
      deck,
      interviews: [...completed.slice(0, 4), ...unfinished],
      invited: 8,
      previous: PREVIOUS,
      now: NOW,
    });
    expect(d.details).toBeNull();
    for (const out of [
      digestMarkdown(d),
      digestHtml(d),
      JSON.stringify(digestCards(d).map((c) => renderDigestCard(c))),
    ]) {
      expect(out).toContain(
        'De ronde is gesloten met minder dan 5 afgeronde interviews, de drempel voor details: deze ronde krijgt geen details',
      );
      expect(out).not.toMatch(/details volgen|Nieuwe details bij/);
    }
    const en = buildDigest({
      round: { ...closed, digest: { ...closed.digest, language: 'en' } },
      guide,
      deck,
      interviews: completed.slice(0, 4),
      invited: 8,
      previous: null,
      now: NOW,
    });
    expect(digestMarkdown(en)).toContain(
      'The round closed with fewer than 5 completed interviews, the threshold for details: this round gets no details',
    );
  });

  test('the final digest of a round closed fewer than k after the last details: those remain the last', () => {
    const closed = roundWith({ status: 'closed', closedAt: NOW.toISOString() });
    const d = buildDigest({
      round: closed,
      guide,
      deck,
      interviews,
      invited: 8,
      previous: PREVIOUS,
      gate: { publish: false, last: 5, nextAt: 10 },
      now: NOW,
    });
    expect(d.details).toBeNull();
    const md = digestMarkdown(d);
    expect(md).toContain('De ronde is gesloten. De vorige details (over 5 afgeronde interviews) blijven de laatste');
    expect(md).not.toContain('Nieuwe details bij');
  });

  test('an open round fewer than k after the last details: when new details follow, in both languages', () => {
    const held = (language: 'nl' | 'en') =>
      digestMarkdown(
        buildDigest({
          round: roundWith({ digest: { ...round.digest, language } }),
          guide,
          deck,
          interviews,
          invited: 8,
          previous: PREVIOUS,
          gate: { publish: false, last: 5, nextAt: 10 },
          now: NOW,
        }),
      );
    expect(held('nl')).toContain(
      'Nieuwe details bij 10 afgeronde interviews. De details veranderen pas als er minstens 5 afgeronde interviews bij zijn gekomen sinds de vorige details (over 5)',
    );
    expect(held('en')).toContain(
      'New details at 10 completed interviews. The details change only once at least 5 more interviews have been completed since the previous details (over 5)',
    );
    expect(held('nl')).not.toContain('Per cluster');
  });

  test('5 completed with k = 5: details', () => {
    const d = digestOf([...completed.slice(0, 5), ...unfinished]);
    expect(d.details).not.toBeNull();
    expect(d.details!.n).toBe(5);
  });

  test('k is per round', () => {
    expect(digestOf(interviews, { k: 7 }).details).toBeNull();
    expect(digestOf(interviews, { k: 6 }).details).not.toBeNull();
  });
});

test('every completed interview in the fixture is counted exactly once', () => {
  const picked = Object.values(SPECS)
    .filter((s) => s.completed !== false)
    .reduce((n, s) => n + Object.keys(s.placement).length, 0);
  const counted = details.clusters.flatMap((c) => c.rows).reduce((n, r) => n + r.n, 0);
  expect(counted).toBe(picked);
});
