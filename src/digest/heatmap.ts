import escapeHtml from 'escape-html';
import { existsSync } from 'node:fs';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import type { Locale } from '../interview/types.js';
import type { ClusterTable, DigestDetails } from './aggregate.js';
import { decimal, digestText, signed } from './messages.js';
import { indexedPng } from './png.js';
import { defined } from '../defined.js';
import { element, emptyElement } from '../markup.js';

/*
 * The chart: competencies (rows, grouped by cluster in deck order) × columns −3..+3, plus "not picked" and the mean.
 * Each cell holds the number of participants; its colour deepens with that number, orange on the "does not fit" side,
 * grey at 0, blue-green on the "fits" side — the composite board of the study at a glance.
 */

/** DejaVu Sans and Liberation Sans ship with Debian (fonts-dejavu-core, fonts-liberation); the rest are fallbacks. */
export const FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, 'Noto Sans', sans-serif";

/** Sizes of the chart: roomy for the HTML page and print, tight for the thumbnail in a Teams card. */
interface Layout {
  pad: number;
  labelW: number;
  cellW: number;
  gap: number;
  rowH: number;
  lineH: number;
  sectionGap: number;
  font: number;
  /** About how many characters of a name fit the label column; longer names wrap to a second line. */
  charsPerLine: number;
  radius: number;
}

const LAYOUTS: Record<'full' | 'compact', Layout> = {
  full: {
    pad: 16,
    labelW: 340,
    cellW: 44,
    gap: 2,
    rowH: 22,
    lineH: 14,
    sectionGap: 12,
    font: 12,
    charsPerLine: 46,
    radius: 3,
  },
  compact: {
    pad: 8,
    labelW: 280,
    cellW: 34,
    gap: 2,
    rowH: 18,
    lineH: 13,
    sectionGap: 6,
    font: 12,
    charsPerLine: 40,
    radius: 0,
  },
};

const EMPTY = '#f3f4f6';
const INK = '#1f2937';
const SUBTLE = '#6b7280';
const NEGATIVE = [194, 65, 12] as const; // orange
const NEUTRAL = [107, 114, 128] as const; // grey
const POSITIVE = [15, 118, 110] as const; // blue-green
const NOT_PICKED = [120, 113, 108] as const; // warm grey

function hex(rgb: readonly number[]): string {
  return `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

/** White mixed with a hue at strength t (0..1). */
function mix(rgb: readonly number[], t: number): string {
  return hex(rgb.map((v) => 255 + (v - 255) * t));
}

function hueOf(column: number): readonly number[] {
  return column < 0 ? NEGATIVE : column > 0 ? POSITIVE : NEUTRAL;
}

/** The colour scale has at most this many steps: easier to read than a continuous one, and a smaller PNG. */
const STEPS = 6;

/** A count's colour strength: a lone participant is visible, the largest count is full; binned in STEPS steps. */
function strength(count: number, max: number): number {
  if (count <= 0) return 0;
  const steps = Math.min(STEPS, Math.max(1, max));
  return 0.18 + 0.82 * (Math.ceil((count / Math.max(1, max)) * steps) / steps);
}

/**
 * The colour of a cell with `count` participants in `column`, against the largest count of the table: as in the
 * chart.
 */
export function cellFill(column: number, count: number, maxCount: number): { fill: string; ink: string } {
  const t = strength(count, maxCount);
  return count ? { fill: mix(hueOf(column), t), ink: t > 0.55 ? '#ffffff' : INK } : { fill: EMPTY, ink: INK };
}

/** The colour of the "not picked" cell: deeper as more of the n participants left the card out. */
export function notPickedFill(notPicked: number, n: number): string {
  return notPicked ? mix(NOT_PICKED, 0.08 + 0.4 * (Math.ceil((n ? notPicked / n : 0) * 4) / 4)) : EMPTY;
}

export const COLOURS = {
  negative: hex(NEGATIVE),
  positive: hex(POSITIVE),
  neutral: hex(NEUTRAL),
  ink: INK,
  subtle: SUBTLE,
  empty: EMPTY,
};

/**
 * Splits a name over at most `maxLines` lines of about `perLine` characters, with "…" only when it is longer still:
 * three lines hold every name of the deck in both layouts, so that names that start alike stay apart.
 */
export function wrapName(name: string, perLine = LAYOUTS.full.charsPerLine, maxLines = 3): string[] {
  if (name.length <= perLine) return [name];
  const lines: string[] = [''];
  for (const word of name.split(' ')) {
    const line = lines[lines.length - 1];
    if (!line) lines[lines.length - 1] = word;
    else if (line.length + 1 + word.length <= perLine) lines[lines.length - 1] = `${line} ${word}`;
    else lines.push(word);
  }
  if (lines.length <= maxLines && lines.every((l) => l.length <= perLine)) return lines;
  const rest = lines.slice(maxLines - 1).join(' ');
  const kept = lines.slice(0, maxLines - 1).map((l) => l.slice(0, perLine));
  return [...kept, `${rest.slice(0, perLine - 1).trimEnd()}…`];
}

export interface HeatmapOptions {
  /** Draw the title and subtitle in the image (default true; the card has its own heading). */
  title?: boolean;
  /** "full" (default) for the HTML page and print; "compact" for the thumbnail in a Teams card. */
  layout?: 'full' | 'compact';
  /** Only these clusters (indexes, in deck order): a part of the chart; the colour scale stays that of the whole. */
  clusters?: number[];
}

/** Where things go in one chart, and what every part of it reads. */
interface Chart {
  details: DigestDetails;
  locale: Locale;
  layout: Layout;
  /** The size of the scale's ends and the legend. */
  small: number;
  notPickedX: number;
  meanX: number;
  width: number;
  /** The largest count of the whole table: the colour scale. */
  maxCount: number;
  /** The SVG elements drawn so far, top to bottom. */
  out: string[];
}

type TextAttributes = Record<string, string | number>;

function text(x: number, y: number, content: string, attrs: TextAttributes): string {
  return element('text', { x, y, ...attrs }, escapeHtml(content));
}

const bold = { 'font-weight': 'bold' };
const centred = { 'text-anchor': 'middle' };

/** The left edge of the scale's column i. */
function columnX(layout: Layout, i: number): number {
  return layout.pad + layout.labelW + i * (layout.cellW + layout.gap);
}

function chartOf(details: DigestDetails, locale: Locale, options: HeatmapOptions): Chart {
  const layout = LAYOUTS[options.layout ?? 'full'];
  // Without anti-aliasing (the card's thumbnail) text below 12 px loses strokes.
  const small = options.layout === 'compact' ? layout.font : layout.font - 1;
  const notPickedX = columnX(layout, details.columns.length) + layout.gap * 4;
  const meanX = notPickedX + layout.cellW + layout.gap * 5;
  const maxCount = Math.max(1, ...details.clusters.flatMap((c) => c.rows.flatMap((r) => r.counts)));
  const width = meanX + layout.cellW + layout.pad;
  return { details, locale, layout, small, notPickedX, meanX, width, maxCount, out: [] };
}

/** The title and the subtitle; the new top. */
function drawTitle({ out, layout, locale, details }: Chart, y: number): number {
  out.push(text(layout.pad, y + 16, digestText(locale, 'chart'), { 'font-size': 18, ...bold, fill: INK }));
  const subtitle = digestText(locale, 'chartSubtitle', { n: details.n });
  out.push(text(layout.pad, y + 36, subtitle, { 'font-size': 12, fill: SUBTLE }));
  return y + 52;
}

/** The scale's ends, then the column heads; the new top. */
function drawHeads(chart: Chart, top: number): number {
  const { out, layout, small, locale, details } = chart;
  const columns = details.columns;
  const first = defined(columns[0], SCALE_COLUMN);
  const last = defined(columns.at(-1), SCALE_COLUMN);
  const endY = top + small - 1;
  out.push(text(columnX(layout, 0), endY, `← ${first.label}`, { 'font-size': small, fill: hex(NEGATIVE) }));
  const lastRight = columnX(layout, columns.length - 1) + layout.cellW;
  const lastEnd = { 'font-size': small, fill: hex(POSITIVE), 'text-anchor': 'end' };
  out.push(text(lastRight, endY, `${last.label} →`, lastEnd));
  const y = top + small + 5;
  const headY = y + layout.font + 2;
  const centre = (x: number) => x + layout.cellW / 2;
  const head = { 'font-size': layout.font + 1, ...bold, ...centred, fill: INK };
  columns.forEach((c, i) => out.push(text(centre(columnX(layout, i)), headY, signed(c.value), head)));
  const subtle = { 'font-size': layout.font, ...centred, fill: SUBTLE };
  out.push(text(centre(chart.notPickedX), headY, digestText(locale, 'notPickedShort'), subtle));
  out.push(text(centre(chart.meanX), headY, digestText(locale, 'mean'), subtle));
  return y + layout.font + 10;
}

/** A cluster's rule and name, then its rows; the new top. */
function drawCluster(chart: Chart, cluster: ClusterTable, top: number): number {
  const { out, layout } = chart;
  let y = top + layout.sectionGap;
  const rule = { x: layout.pad, y: y - layout.sectionGap / 2 - 1, width: chart.width - 2 * layout.pad, height: 1 };
  out.push(emptyElement('rect', { ...rule, fill: '#d1d5db' }));
  const name = { 'font-size': layout.font + 0.5, ...bold, fill: INK };
  out.push(text(layout.pad, y + layout.font - 1, cluster.name, name));
  y += layout.font + 6;
  for (const row of cluster.rows) y = drawRow(chart, row, y);
  return y;
}

/** A competency: its name (wrapped), a cell per column, "not picked" and the mean; the new top. */
function drawRow(chart: Chart, row: ClusterTable['rows'][number], y: number): number {
  const { out, layout, locale, details } = chart;
  const lines = wrapName(row.name, layout.charsPerLine);
  const h = layout.rowH + (lines.length - 1) * layout.lineH;
  const base = y + h / 2 + layout.font / 3;
  const nameY = (i: number) => base - ((lines.length - 1) * layout.lineH) / 2 + i * layout.lineH;
  const label = { 'font-size': layout.font, fill: INK };
  lines.forEach((line, i) => out.push(text(layout.pad + layout.pad / 2, nameY(i), line, label)));
  const cell = (x: number, fill: string) =>
    emptyElement('rect', { x, y: y + 1, width: layout.cellW, height: h - 2, rx: layout.radius || undefined, fill });
  const centre = (x: number) => x + layout.cellW / 2;
  row.counts.forEach((count, i) => {
    const { fill, ink } = cellFill(defined(details.columns[i], SCALE_COLUMN).value, count, chart.maxCount);
    out.push(cell(columnX(layout, i), fill));
    const countText = { 'font-size': layout.font, ...bold, ...centred, fill: ink };
    if (count) out.push(text(centre(columnX(layout, i)), base, String(count), countText));
  });
  out.push(cell(chart.notPickedX, notPickedFill(row.notPicked, details.n)));
  const notPickedText = { 'font-size': layout.font, ...centred, fill: INK };
  if (row.notPicked) out.push(text(centre(chart.notPickedX), base, String(row.notPicked), notPickedText));
  if (row.mean !== null) {
    const colour = row.mean > 0 ? hex(POSITIVE) : row.mean < 0 ? hex(NEGATIVE) : SUBTLE;
    const mean = `${row.mean > 0 ? '+' : ''}${decimal(locale, row.mean)}`;
    out.push(text(centre(chart.meanX), base, mean, { 'font-size': layout.font, ...bold, ...centred, fill: colour }));
  }
  return y + h;
}

/** What the colours mean: a few swatches per hue, from fewer to more participants; the new top. */
function drawLegend(chart: Chart, top: number): number {
  const { out, layout, small, locale, maxCount } = chart;
  const y = top + layout.pad - 2;
  const swatches = [1, Math.ceil(maxCount / 2), maxCount].filter((v, i, a) => a.indexOf(v) === i);
  const sw = layout.font + 4;
  const legend = { 'font-size': small, fill: SUBTLE };
  let x = layout.pad;
  out.push(text(x, y + small + 1, digestText(locale, 'fewer'), legend));
  x += small * 4;
  for (const hue of [NEGATIVE, NEUTRAL, POSITIVE]) {
    for (const v of swatches) {
      const swatch = { x, y: y + 1, width: sw, height: small + 3, fill: mix(hue, strength(v, maxCount)) };
      out.push(emptyElement('rect', swatch));
      x += sw + 2;
    }
    x += 6;
  }
  out.push(text(x, y + small + 1, `${digestText(locale, 'more')} (${maxCount})`, legend));
  const key = `${digestText(locale, 'notPickedShort')} = ${digestText(locale, 'notPicked')}`;
  out.push(text(chart.width - layout.pad, y + small + 1, key, { ...legend, 'text-anchor': 'end' }));
  return y + small + 4 + layout.pad;
}

/** The chart as an SVG document (sizes in CSS pixels). */
export function heatmapSvg(details: DigestDetails, locale: Locale, options: HeatmapOptions = {}): string {
  const chart = chartOf(details, locale, options);
  let y = chart.layout.pad;
  if (options.title !== false) y = drawTitle(chart, y);
  y = drawHeads(chart, y);
  const shown = options.clusters ? details.clusters.filter((_, i) => options.clusters!.includes(i)) : details.clusters;
  for (const cluster of shown) y = drawCluster(chart, cluster, y);
  y = drawLegend(chart, y);
  const { width } = chart;
  const height = Math.ceil(y);
  // The font list holds quotes: written as it is, not escaped, as resvg and browsers read it.
  const size = `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" ${size} font-family="${FONT_FAMILY}">`,
    emptyElement('rect', { width, height, fill: '#ffffff' }),
    ...chart.out,
    '</svg>',
  ].join('\n');
}

export interface PngOptions {
  /** Scale of the PNG against the SVG's size (default 1; 2 for a crisp HTML page and print). */
  zoom?: number;
  /** Without anti-aliasing: a few dozen colours, so a much smaller PNG (the card's thumbnail); a little rougher. */
  crisp?: boolean;
  /** Font files to use besides the system's (a deployment without system fonts). */
  fontFiles?: string[];
}

/** Where Debian and Ubuntu keep the chart's fonts; loading these few is much faster than every system font. */
const KNOWN_FONTS = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
];
let knownFonts: string[] | undefined;

function fontsOf(extra: string[] | undefined): { loadSystemFonts: boolean; fontFiles: string[] } {
  knownFonts ??= KNOWN_FONTS.filter((f) => existsSync(f));
  const files = [...knownFonts, ...(extra ?? [])];
  // Without the known files (another distribution), fall back to every system font.
  return { loadSystemFonts: knownFonts.length === 0, fontFiles: files };
}

function resvgOptions(options: PngOptions): ResvgRenderOptions {
  return {
    fitTo: { mode: 'zoom', value: options.zoom ?? 1 },
    background: '#ffffff',
    // 0 = optimizeSpeed / crispEdges: no anti-aliasing.
    ...(options.crisp ? { shapeRendering: 0 as const, textRendering: 0 as const } : {}),
    font: {
      ...fontsOf(options.fontFiles),
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  };
}

/** The SVG rendered to a PNG on the server (resvg, the system's fonts, no network), stored as a palette PNG. */
export function heatmapPng(svg: string, options: PngOptions = {}): Buffer {
  const image = new Resvg(svg, resvgOptions(options)).render();
  return indexedPng(image.pixels, image.width, image.height);
}

/** Whether text renders at all here (resvg silently skips text without a font): draws a word and looks for ink. */
export function fontsRender(fontFiles?: string[]): boolean {
  const word = `<text x="2" y="15" font-size="14" font-family="${FONT_FAMILY}" fill="#000">Wijzer</text>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20">${word}</svg>`;
  const image = new Resvg(svg, { ...resvgOptions({ fontFiles }), background: undefined }).render();
  const pixels = image.pixels;
  return pixels.some((value, i) => i % 4 === 3 && value > 0);
}

/** A PNG's width and height, read from its IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.toString('latin1', 1, 4) !== 'PNG' || png.toString('latin1', 12, 16) !== 'IHDR')
    throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** A card's chart image may take this many bytes (28 KB per card, a third more as base64, and the card's text). */
export const THUMBNAIL_MAX_BYTES = 18 * 1024;

const SCALE_COLUMN = 'column of the scale';

/** The clusters 0..count-1 in `parts` consecutive groups of about equal rows. */
function split(rows: number[], parts: number): number[][] {
  const total = rows.reduce((a, b) => a + b, 0);
  const groups: number[][] = [[]];
  let sum = 0;
  rows.forEach((r, i) => {
    const group = defined(groups.at(-1), 'group of clusters');
    if (group.length && groups.length < parts && sum + r / 2 > (total * groups.length) / parts) groups.push([i]);
    else group.push(i);
    sum += r;
  });
  return groups;
}

/**
 * The chart for a Teams card: the compact layout without anti-aliasing, as one PNG when it fits THUMBNAIL_MAX_BYTES,
 * else in parts by cluster (each part keeps the colour scale of the whole).
 */
export function cardThumbnails(
  details: DigestDetails,
  locale: Locale,
  fontFiles?: string[],
  maxBytes = THUMBNAIL_MAX_BYTES,
): Buffer[] {
  const rows = details.clusters.map((c) => c.rows.length);
  let last: Buffer[] = [];
  for (let parts = 1; parts <= rows.length; parts++) {
    const groups = parts === 1 ? [rows.map((_, i) => i)] : split(rows, parts);
    last = groups.map((clusters) =>
      heatmapPng(heatmapSvg(details, locale, { layout: 'compact', title: false, clusters }), {
        crisp: true,
        fontFiles,
      }),
    );
    if (last.every((png) => png.length <= maxBytes)) return last;
  }
  return last;
}

/**
 * The chart for the HTML page, Markdown and print: the full layout at twice the size, anti-aliased (the page has the
 * title).
 */
export function digestChart(details: DigestDetails, locale: Locale, fontFiles?: string[]): Buffer {
  return heatmapPng(heatmapSvg(details, locale, { title: false }), { zoom: 2, fontFiles });
}
