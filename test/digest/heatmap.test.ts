import { CARD_LIMIT, cardBytes, digestCards } from '../../src/digest/card.js';
import {
  cardThumbnails,
  digestChart,
  fontsRender,
  heatmapSvg,
  pngSize,
  THUMBNAIL_MAX_BYTES,
  wrapName,
} from '../../src/digest/heatmap.js';
import { deck, digestOf, interviews } from './fixtures.js';
import { at, only } from '../support/defined.js';

const digest = digestOf();
const details = digest.details!;

describe('the chart', () => {
  test('fonts render here (resvg with the system fonts)', () => {
    expect(fontsRender()).toBe(true);
  });

  test('a valid PNG of the expected size: twice the SVG for the page, the compact thumbnail small enough for a card', () => {
    const svg = heatmapSvg(details, 'nl', { title: false });
    const size = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
    const [w, h] = [Number(size?.[1]), Number(size?.[2])];
    expect(w).toBe(800); // 16 + 340 + 7 × 46 + 8 + 44 + 10 + 44 + 16
    const full = digestChart(details, 'nl');
    expect(full.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
    expect(pngSize(full)).toEqual({ width: 2 * w, height: 2 * h });
    const thumbnails = cardThumbnails(details, 'nl');
    expect(thumbnails).toHaveLength(1);
    expect(pngSize(only(thumbnails)).width).toBe(634); // 8 + 280 + 7 × 36 + 8 + 34 + 10 + 34 + 8
    expect(only(thumbnails).length).toBeLessThan(THUMBNAIL_MAX_BYTES);
    // Every competency and cluster is in the chart, in deck order.
    const names = deck.clusters.flatMap((c) => [c.name.nl, ...c.competencies.map((k) => k.name.nl)]);
    // A name is one text element, or (a long one) wrapped over two.
    const positions = names.map((n) =>
      svg.includes(`>${n}</text>`) ? svg.indexOf(`>${n}</text>`) : svg.indexOf(`>${n.slice(0, 20)}`),
    );
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  test('every competency name is whole in the chart, in both layouts and languages (long ones wrap)', () => {
    for (const locale of ['nl', 'en'] as const) {
      const d = digestOf(interviews, { locale }).details!;
      for (const layout of ['full', 'compact'] as const) {
        const svg = heatmapSvg(d, locale, { layout, title: false });
        expect(svg).not.toContain('…');
        const shown = [...svg.matchAll(/<text [^>]*font-size="12"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join(' ');
        for (const c of deck.clusters.flatMap((x) => x.competencies))
          for (const word of c.name[locale].split(' ')) expect(shown).toContain(word);
      }
    }
    expect(wrapName('een twee drie vier vijf zes zeven acht', 10)).toEqual(['een twee', 'drie vier', 'vijf zes…']);
  });

  test('a chart too large for one card comes in parts by cluster, each within the budget, each in a card', () => {
    const parts = cardThumbnails(details, 'nl', undefined, 9000);
    expect(parts.length).toBeGreaterThan(1);
    for (const png of parts) expect(png.length).toBeLessThanOrEqual(9000);
    const cards = digestCards(digest, { chart: { png: parts } });
    const headings = cards.flatMap((c) => c.data.blocks.filter((b) => b.image).map((b) => b.heading));
    expect(headings).toEqual(parts.map((_, i) => `Waar liggen de kaartjes? (${i + 1}/${parts.length})`));
    for (const c of cards) expect(cardBytes(c)).toBeLessThan(CARD_LIMIT);
  });

  test('a chart too large for any card is replaced by a pointer to the full version', () => {
    const cards = digestCards(digest, { chart: { png: Buffer.alloc(30 * 1024, 1) } });
    const text = JSON.stringify(cards);
    expect(text).not.toContain('data:image');
    expect(text).toContain('De grafiek staat in de volledige versie.');
    // The response is not left alone on the first card.
    expect(
      at(cards, 0)
        .data.blocks.map((b) => b.heading)
        .slice(0, 3),
    ).toEqual(['Respons', 'Waar liggen de kaartjes?', 'Sluit het best aan · Hoogste gemiddelde kolom']);
  });
});
