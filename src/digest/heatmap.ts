import escapeHtml from 'escape-html';
import { existsSync } from 'node:fs';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import type { Locale } from '../interview/types.js';
import type { DigestDetails } from './aggregate.js';
import { decimal, digestText, signed } from './messages.js';
import { indexedPng } from './png.js';
import { defined } from '../defined.js';

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

/** The colour of a cell with `count` participants in `column`, against the largest count of the table: as in the chart. */
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
  return [...lines.slice(0, maxLines - 1).map((l) => l.slice(0, perLine)), `${rest.slice(0, perLine - 1).trimEnd()}…`];
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${x}" y="${y}" ${attrs}>${escapeHtml(content)}</text>`;
}

export interface HeatmapOptions {
  /** Draw the title and subtitle in the image (default true; the card has its own heading). */
  title?: boolean;
  /** "full" (default) for the HTML page and print; "compact" for the thumbnail in a Teams card. */
  layout?: 'full' | 'compact';
  /** Only these clusters (indexes, in deck order): a part of the chart; the colour scale stays that of the whole. */
  clusters?: number[];
}

/** The chart as an SVG document (sizes in CSS pixels). */
export function heatmapSvg(details: DigestDetails, locale: Locale, options: HeatmapOptions = {}): string {
  const L = LAYOUTS[options.layout ?? 'full'];
  // Without anti-aliasing (the card's thumbnail) text below 12 px loses strokes.
  const small = options.layout === 'compact' ? L.font : L.font - 1;
  const columns = details.columns;
  const gridX = L.pad + L.labelW;
  const colX = (i: number) => gridX + i * (L.cellW + L.gap);
  const notPickedX = colX(columns.length) + L.gap * 4;
  const meanX = notPickedX + L.cellW + L.gap * 5;
  const width = meanX + L.cellW + L.pad;
  const maxCount = Math.max(1, ...details.clusters.flatMap((c) => c.rows.flatMap((r) => r.counts)));
  const cell = (x: number, y: number, h: number, fill: string) =>
    `<rect x="${x}" y="${y + 1}" width="${L.cellW}" height="${h - 2}"${L.radius ? ` rx="${L.radius}"` : ''} fill="${fill}"/>`;
  const out: string[] = [];
  let y = L.pad;

  if (options.title !== false) {
    out.push(text(L.pad, y + 16, digestText(locale, 'chart'), `font-size="18" font-weight="bold" fill="${INK}"`));
    out.push(
      text(L.pad, y + 36, digestText(locale, 'chartSubtitle', { n: details.n }), `font-size="12" fill="${SUBTLE}"`),
    );
    y += 52;
  }

  // The scale's ends, then the column heads.
  const first = defined(columns[0], SCALE_COLUMN);
  const last = defined(columns.at(-1), SCALE_COLUMN);
  out.push(text(colX(0), y + small - 1, `← ${first.label}`, `font-size="${small}" fill="${hex(NEGATIVE)}"`));
  out.push(
    text(
      colX(columns.length - 1) + L.cellW,
      y + small - 1,
      `${last.label} →`,
      `font-size="${small}" fill="${hex(POSITIVE)}" text-anchor="end"`,
    ),
  );
  y += small + 5;
  columns.forEach((c, i) =>
    out.push(
      text(
        colX(i) + L.cellW / 2,
        y + L.font + 2,
        signed(c.value),
        `font-size="${L.font + 1}" font-weight="bold" text-anchor="middle" fill="${INK}"`,
      ),
    ),
  );
  out.push(
    text(
      notPickedX + L.cellW / 2,
      y + L.font + 2,
      digestText(locale, 'notPickedShort'),
      `font-size="${L.font}" text-anchor="middle" fill="${SUBTLE}"`,
    ),
  );
  out.push(
    text(
      meanX + L.cellW / 2,
      y + L.font + 2,
      digestText(locale, 'mean'),
      `font-size="${L.font}" text-anchor="middle" fill="${SUBTLE}"`,
    ),
  );
  y += L.font + 10;

  const shown = options.clusters ? details.clusters.filter((_, i) => options.clusters!.includes(i)) : details.clusters;
  for (const cluster of shown) {
    y += L.sectionGap;
    out.push(
      `<rect x="${L.pad}" y="${y - L.sectionGap / 2 - 1}" width="${width - 2 * L.pad}" height="1" fill="#d1d5db"/>`,
    );
    out.push(text(L.pad, y + L.font - 1, cluster.name, `font-size="${L.font + 0.5}" font-weight="bold" fill="${INK}"`));
    y += L.font + 6;
    for (const row of cluster.rows) {
      const lines = wrapName(row.name, L.charsPerLine);
      const h = L.rowH + (lines.length - 1) * L.lineH;
      const base = y + h / 2 + L.font / 3;
      lines.forEach((line, i) =>
        out.push(
          text(
            L.pad + L.pad / 2,
            base - ((lines.length - 1) * L.lineH) / 2 + i * L.lineH,
            line,
            `font-size="${L.font}" fill="${INK}"`,
          ),
        ),
      );
      row.counts.forEach((count, i) => {
        const { fill, ink } = cellFill(defined(columns[i], SCALE_COLUMN).value, count, maxCount);
        out.push(cell(colX(i), y, h, fill));
        if (count)
          out.push(
            text(
              colX(i) + L.cellW / 2,
              base,
              String(count),
              `font-size="${L.font}" font-weight="bold" text-anchor="middle" fill="${ink}"`,
            ),
          );
      });
      out.push(cell(notPickedX, y, h, notPickedFill(row.notPicked, details.n)));
      if (row.notPicked)
        out.push(
          text(
            notPickedX + L.cellW / 2,
            base,
            String(row.notPicked),
            `font-size="${L.font}" text-anchor="middle" fill="${INK}"`,
          ),
        );
      if (row.mean !== null) {
        const colour = row.mean > 0 ? hex(POSITIVE) : row.mean < 0 ? hex(NEGATIVE) : SUBTLE;
        out.push(
          text(
            meanX + L.cellW / 2,
            base,
            `${row.mean > 0 ? '+' : ''}${decimal(locale, row.mean)}`,
            `font-size="${L.font}" font-weight="bold" text-anchor="middle" fill="${colour}"`,
          ),
        );
      }
      y += h;
    }
  }

  // Legend: what the colours mean.
  y += L.pad - 2;
  const swatches = [1, Math.ceil(maxCount / 2), maxCount].filter((v, i, a) => a.indexOf(v) === i);
  const sw = L.font + 4;
  let x = L.pad;
  out.push(text(x, y + small + 1, digestText(locale, 'fewer'), `font-size="${small}" fill="${SUBTLE}"`));
  x += small * 4;
  for (const hue of [NEGATIVE, NEUTRAL, POSITIVE]) {
    for (const v of swatches) {
      out.push(
        `<rect x="${x}" y="${y + 1}" width="${sw}" height="${small + 3}" fill="${mix(hue, strength(v, maxCount))}"/>`,
      );
      x += sw + 2;
    }
    x += 6;
  }
  out.push(
    text(x, y + small + 1, `${digestText(locale, 'more')} (${maxCount})`, `font-size="${small}" fill="${SUBTLE}"`),
  );
  out.push(
    text(
      width - L.pad,
      y + small + 1,
      `${digestText(locale, 'notPickedShort')} = ${digestText(locale, 'notPicked')}`,
      `font-size="${small}" fill="${SUBTLE}" text-anchor="end"`,
    ),
  );
  y += small + 4 + L.pad;

  const height = Math.ceil(y);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...out,
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
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"><text x="2" y="15" font-size="14" font-family="${FONT_FAMILY}" fill="#000">Wijzer</text></svg>`;
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

export function dataUri(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
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

/** The chart for the HTML page, Markdown and print: the full layout at twice the size, anti-aliased (the page has the title). */
export function digestChart(details: DigestDetails, locale: Locale, fontFiles?: string[]): Buffer {
  return heatmapPng(heatmapSvg(details, locale, { title: false }), { zoom: 2, fontFiles });
}
