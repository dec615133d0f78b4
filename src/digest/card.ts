import { expandCard, templateNames, type ViewsOf } from '../content/cardTemplate.js';
import type { Digest } from './aggregate.js';
import { cardThumbnails, dataUri } from './heatmap.js';
import { digestText } from './messages.js';
import { present, type Fact, type Presentation, type QuoteView } from './present.js';
import { defined } from '../defined.js';

/*
 * The digest as Teams cards (template cards/templates/digest.json). Teams refuses messages above about 28 KB, so the
 * content is packed into as many cards as needed, in order: each card is measured by expanding the template, as the
 * bot does before sending. Sections are never cut, except the quotes, which continue on the next card.
 */

/** Teams' limit for a message, as the community measures it. */
export const CARD_LIMIT = 28 * 1024;
/** Kept free for the activity around the card (type, ids, the attachment's envelope). */
const ENVELOPE = 1024;

/** A count cell of a Table element: the text and a Teams container style (the chart's colours, roughly). */
export interface CardCell {
  text: string;
  style: 'default' | 'emphasis' | 'good' | 'warning';
}
/**
 * An Adaptive Cards 1.5 Table: a header row, then per competency its name (wrapping in its own column instead of
 * being cut) and its count cells. Alignment is set per column, so that the cells stay small.
 */
export interface CardTable {
  columns: { width: number; align: 'Left' | 'Center' }[];
  header: string[];
  rows: { name: string; cells: CardCell[] }[];
}

export interface CardBlock {
  separator: boolean;
  heading: string;
  text: string;
  facts: Fact[];
  /** Ranked lists: one line per competency. */
  lines: string[];
  image: string;
  alt: string;
  /** Teams' stage view (zoom) for the image: only for an image at a URL, Teams does not expand data URIs. */
  expand: boolean;
  table: CardTable;
  quotes: QuoteView[];
  note: string;
}

/** The view model of cards/templates/digest.json: one card of the digest. */
export interface DigestCardData {
  title: string;
  subtitle: string;
  blocks: CardBlock[];
  /** Empty: no button to the full version. */
  fullUrl: string;
  fullLabel: string;
}

interface DigestTemplateData {
  digest: DigestCardData;
}

export const DIGEST_TEMPLATES = templateNames<DigestTemplateData>({ digest: true });

export type DigestCardView = ViewsOf<DigestTemplateData>;

export interface DigestCardOptions {
  /**
   * The chart in the card: PNGs to embed as data URIs (default: the compact chart, in parts when large, rendered here
   * by cardThumbnails), a URL Teams can fetch the chart from, or 'none'.
   */
  chart?: { png: Buffer | Buffer[] } | { url: string } | 'none';
  /** A link to the full (HTML) version, shown as a button on every card. */
  fullUrl?: string;
  /** Where cards/templates lives (default: the working directory, as for the bot). */
  root?: string;
  /** Bytes per card, default CARD_LIMIT. */
  limit?: number;
}

/** The card as Teams receives it (the template expanded with the view's data). */
export function renderDigestCard(view: DigestCardView, root = process.cwd()): Record<string, unknown> {
  return expandCard(view, root);
}

/** The size of the expanded card in bytes (UTF-8 JSON), what the 28 KB limit applies to. */
export function cardBytes(view: DigestCardView, root = process.cwd()): number {
  return Buffer.byteLength(JSON.stringify(renderDigestCard(view, root)));
}

const block = (fields: Partial<CardBlock>): CardBlock => ({
  separator: false,
  heading: '',
  text: '',
  facts: [],
  lines: [],
  image: '',
  alt: '',
  expand: false,
  table: { columns: [], header: [], rows: [] },
  quotes: [],
  note: '',
  ...fields,
});

/** A piece of a card; consecutive pieces of one group (a quote source) merge into one block. */
interface Piece {
  block: CardBlock;
  group?: string;
  /** The group's heading when it continues on a new card. */
  continued?: string;
}

/** The style of a count cell: the side of the scale it is on, as the chart colours it. */
function countStyle(column: number, count: number): CardCell['style'] {
  if (!count) return 'default';
  return column < 0 ? 'warning' : column > 0 ? 'good' : 'emphasis';
}

function tablePieces(p: Presentation): Piece[] {
  const t = p.tables;
  if (!t) return [];
  const values = t.columns.map((c) => Number(c.replace('−', '-')));
  return t.clusters.map((cluster, i) => ({
    block: block({
      separator: i === 0,
      heading: i === 0 ? `${t.heading}: ${cluster.name}` : cluster.name,
      text: i === 0 ? t.intro : '',
      table: {
        // The name takes as much room as the eight count columns together.
        columns: [
          { width: 8, align: 'Left' },
          ...t.columns.map(() => ({ width: 1, align: 'Center' as const })),
          { width: 1, align: 'Center' },
        ],
        header: [t.competency, ...t.columns, t.notPickedShort],
        rows: cluster.rows.map((r) => ({
          name: r.name,
          cells: [
            ...r.counts.map((n, c) => ({
              text: n ? String(n) : '·',
              style: countStyle(defined(values[c], 'value of a scale column'), n),
            })),
            { text: String(r.notPicked), style: 'default' as const },
          ],
        })),
      },
    }),
  }));
}

function pieces(p: Presentation, images: string[]): Piece[] {
  const out: Piece[] = [
    {
      block: block({
        heading: p.response.heading,
        facts: p.response.facts,
        note: p.response.notes.join(' '),
        text: p.belowK ?? '',
      }),
    },
  ];
  if (p.chart) {
    const chart = p.chart;
    if (images.length === 0)
      out.push({
        block: block({
          separator: true,
          heading: chart.heading,
          text: chart.caption,
          note: digestText(p.lang, 'chartInHtml'),
        }),
      });
    images.forEach((image, i) =>
      out.push({
        block: block({
          separator: i === 0,
          heading: images.length > 1 ? `${chart.heading} (${i + 1}/${images.length})` : chart.heading,
          text: i === 0 ? chart.caption : '',
          image,
          alt: chart.alt,
          expand: !image.startsWith('data:'),
        }),
      }),
    );
  }
  for (const ranking of p.rankings) {
    ranking.lists.forEach((list, i) => {
      const heading = list.heading ? `${ranking.heading} · ${list.heading}` : ranking.heading;
      const names = list.items.every((item) => item.value === '');
      out.push({
        block: block({
          separator: i === 0,
          heading,
          text: [
            i === 0 ? (ranking.intro ?? '') : '',
            list.items.length === 0 ? list.empty : names ? list.items.map((item) => item.label).join(', ') : '',
          ]
            .filter(Boolean)
            .join(' '),
          // Lines rather than a FactSet: Teams squeezes fact titles, and competency names are long.
          lines: names ? [] : list.items.map((item) => `**${item.label}** · ${item.value}`),
        }),
      });
    });
  }
  out.push(...tablePieces(p));
  if (p.quotes) {
    out.push({
      block: block({
        separator: true,
        heading: p.quotes.heading,
        text: p.quotes.groups.length ? p.quotes.intro : p.quotes.empty,
      }),
    });
    for (const [g, group] of p.quotes.groups.entries()) {
      group.quotes.forEach((quote, i) =>
        out.push({
          group: `quotes-${g}`,
          continued: `${group.heading} ${digestText(p.lang, 'continued')}`,
          block: block({ heading: i === 0 ? group.heading : '', quotes: [quote] }),
        }),
      );
    }
  }
  if (p.notes)
    out.push({ block: block({ separator: true, note: `**${p.notes.heading}.** ${p.notes.items.join(' ')}` }) });
  return out;
}

/** The blocks of one card: consecutive pieces of a group merged; a group carried over from the previous card says so. */
function assemble(list: Piece[], carriedGroup: string | undefined): CardBlock[] {
  const blocks: CardBlock[] = [];
  let lastGroup: string | undefined;
  for (const [i, piece] of list.entries()) {
    if (piece.group && piece.group === lastGroup) {
      // lastGroup is set only after a block was pushed.
      const last = defined(blocks.at(-1), 'block of the group');
      blocks[blocks.length - 1] = { ...last, quotes: [...last.quotes, ...piece.block.quotes] };
      continue;
    }
    const carried = i === 0 && piece.group !== undefined && piece.group === carriedGroup;
    blocks.push(carried ? { ...piece.block, heading: piece.continued ?? piece.block.heading } : piece.block);
    lastGroup = piece.group;
  }
  return blocks;
}

interface Packed {
  pieces: Piece[];
  carried: string | undefined;
}
type Measure = (list: Piece[], carried: string | undefined) => number;

/** The chart alone is too large for a card: say where it is instead. */
function withoutImage(piece: Piece, lang: Presentation['lang']): Piece {
  return { block: { ...piece.block, image: '', note: digestText(lang, 'chartInHtml') } };
}

/**
 * Greedy packing in order, from each piece's own size: a card of pieces weighs the empty card plus each piece alone
 * (minus the empty card) plus a comma between blocks; a quote that joins the block of its group weighs its own block
 * minus an empty block, plus a comma.
 */
function pack(all: Piece[], budget: number, bytes: Measure, lang: Presentation['lang']): Packed[] {
  const empty = bytes([], undefined);
  const emptyBlock = bytes([{ block: block({}) }], undefined) - empty;
  const own = new Map<Piece, number>();
  const weigh = (piece: Piece, carried: string | undefined) => {
    if (piece.group && piece.group === carried) return bytes([piece], carried) - empty;
    if (!own.has(piece)) own.set(piece, bytes([piece], undefined) - empty);
    return own.get(piece)!;
  };
  const joins = (piece: Piece, current: Piece[]) => piece.group !== undefined && current.at(-1)?.group === piece.group;
  const cards: Packed[] = [];
  let current: Piece[] = [];
  let carried: string | undefined;
  let size = empty;
  for (let piece of all) {
    // A chart image too large for any card: say where the chart is instead.
    if (piece.block.image && empty + weigh(piece, undefined) > budget) piece = withoutImage(piece, lang);
    let weight = joins(piece, current)
      ? weigh(piece, undefined) - emptyBlock + 1
      : weigh(piece, current.length ? undefined : carried) + (current.length ? 1 : 0);
    if (size + weight <= budget) {
      current.push(piece);
      size += weight;
      continue;
    }
    if (current.length) {
      cards.push({ pieces: current, carried });
      carried = current.at(-1)?.group;
      current = [];
      size = empty;
      weight = weigh(piece, carried);
    }
    if (empty + weight > budget)
      throw new Error(`a part of the digest ("${piece.block.heading}") does not fit in a card of ${budget} bytes`);
    current.push(piece);
    size += weight;
  }
  if (current.length) cards.push({ pieces: current, carried });
  return cards;
}

/** Packing that measures the whole card at every step: the fallback. */
function packExactly(all: Piece[], carriedIn: string | undefined, budget: number, bytes: Measure): Packed[] {
  const cards: Packed[] = [];
  let current: Piece[] = [];
  let carried = carriedIn;
  for (const piece of all) {
    if (bytes([...current, piece], carried) <= budget) {
      current.push(piece);
      continue;
    }
    if (!current.length)
      throw new Error(`a part of the digest ("${piece.block.heading}") does not fit in a card of ${budget} bytes`);
    cards.push({ pieces: current, carried });
    carried = current.at(-1)?.group;
    current = [piece];
  }
  if (current.length) cards.push({ pieces: current, carried });
  return cards;
}

/** The digest as one or more cards, each below the limit (less room for the message around it). */
export function digestCards(digest: Digest, options: DigestCardOptions = {}): DigestCardView[] {
  const root = options.root ?? process.cwd();
  const budget = (options.limit ?? CARD_LIMIT) - ENVELOPE;
  const p = present(digest);
  let images: string[] = [];
  if (digest.details && options.chart !== 'none') {
    const chart = options.chart ?? { png: cardThumbnails(digest.details, digest.locale) };
    images = 'url' in chart ? [chart.url] : (Array.isArray(chart.png) ? chart.png : [chart.png]).map(dataUri);
  }
  const all = pieces(p, images);
  const fullUrl = options.fullUrl ?? '';
  // Sized with the widest part label, filled in once the number of cards is known.
  const view = (blocks: CardBlock[], part: string): DigestCardView => ({
    template: 'digest',
    data: {
      title: p.title,
      subtitle: part ? `${p.subtitle} · ${part}` : p.subtitle,
      blocks,
      fullUrl,
      fullLabel: digestText(p.lang, 'full'),
    },
  });
  const widest = digestText(p.lang, 'part', { part: 99, parts: 99 });
  const bytes = (list: Piece[], carried: string | undefined) => cardBytes(view(assemble(list, carried), widest), root);
  const cards = pack(all, budget, bytes, p.lang);
  // The packing adds up sizes measured piece by piece (exact for JSON); every card is measured once more as a whole,
  // and should one still not fit, it is packed again piece by piece, measuring the whole card at each step.
  const checked = cards.flatMap((c) =>
    bytes(c.pieces, c.carried) <= budget ? [c] : packExactly(c.pieces, c.carried, budget, bytes),
  );
  return checked.map((c, i) =>
    view(
      assemble(c.pieces, c.carried),
      checked.length > 1 ? digestText(p.lang, 'part', { part: i + 1, parts: checked.length }) : '',
    ),
  );
}
