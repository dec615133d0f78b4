import escapeHtml from 'escape-html';
import { Resvg } from '@resvg/resvg-js';
import type { Locale } from '../interview/types.js';
import { element, emptyElement, type Attributes } from '../markup.js';
import { num, analysisText } from './messages.js';

const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

/** At most this many components are drawn; the rest are small and crowd the plot. */
const MAX_POINTS = 20;

const WIDTH = 640;
const HEIGHT = 380;
const LEFT = 60;
const RIGHT = 20;
const TOP = 54;
const BOTTOM = 60;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const PAD = 16;

const KAISER = { stroke: '#c0392b', 'stroke-dasharray': '6 4' };
const RANDOM = { stroke: '#888', 'stroke-width': 1.5, 'stroke-dasharray': '2 3' };
const AXIS_TEXT = { 'font-size': 11, 'text-anchor': 'middle', fill: '#444' };
const LABEL = { 'font-size': 12, 'text-anchor': 'middle', fill: '#222' };

/** Where a component and a value go in the plot. */
interface Scale {
  x: (i: number) => number;
  y: (v: number) => number;
  yMax: number;
}

function scaleOf(values: number[], random: number[] | undefined): Scale {
  const yMax = Math.ceil(Math.max(1.5, ...values, ...(random ?? [])) * 2) / 2;
  const span = PLOT_W - 2 * PAD;
  return {
    x: (i) => LEFT + PAD + (values.length === 1 ? span / 2 : (i * span) / (values.length - 1)),
    y: (v) => TOP + PLOT_H - (v / yMax) * PLOT_H,
    yMax,
  };
}

function text(attrs: Attributes, content: string): string {
  return element('text', attrs, escapeHtml(content));
}

const line = (x1: number, y1: number, x2: number, y2: number, stroke: Attributes) =>
  emptyElement('line', { x1, y1, x2, y2, ...stroke });

/** The grid with its values, the axes, the components' numbers and the axes' names. */
function axes({ x, y, yMax }: Scale, count: number, locale: Locale): string[] {
  const parts: string[] = [];
  const step = yMax <= 3 ? 0.5 : yMax <= 8 ? 1 : Math.ceil(yMax / 8);
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    parts.push(line(LEFT, y(v), WIDTH - RIGHT, y(v), { stroke: '#e4e4e4' }));
    const tick = { x: LEFT - 8, y: y(v) + 4, 'font-size': 11, 'text-anchor': 'end', fill: '#444' };
    parts.push(text(tick, num(locale, v, step < 1 ? 1 : 0)));
  }
  const bottom = TOP + PLOT_H;
  parts.push(line(LEFT, TOP, LEFT, bottom, { stroke: '#444' }));
  parts.push(line(LEFT, bottom, WIDTH - RIGHT, bottom, { stroke: '#444' }));
  for (let i = 0; i < count; i++) parts.push(text({ x: x(i), y: bottom + 18, ...AXIS_TEXT }, String(i + 1)));
  parts.push(text({ x: LEFT + PLOT_W / 2, y: HEIGHT - 14, ...LABEL }, analysisText(locale, 'component')));
  const middle = TOP + PLOT_H / 2;
  const vertical = { x: 16, y: middle, ...LABEL, transform: `rotate(-90 16 ${middle})` };
  parts.push(text(vertical, analysisText(locale, 'eigenvalue')));
  return parts;
}

/** The Kaiser line, the random eigenvalues when they are there, the eigenvalues with the extracted ones filled. */
function curves({ x, y }: Scale, values: number[], random: number[] | undefined, extracted: number): string[] {
  const points = (list: number[]) => list.map((v, i) => `${x(i)},${y(v)}`).join(' ');
  const blue = '#1f5f8b';
  return [
    line(LEFT, y(1), WIDTH - RIGHT, y(1), KAISER),
    ...(random && random.length > 1
      ? [emptyElement('polyline', { fill: 'none', ...RANDOM, points: points(random) })]
      : []),
    emptyElement('polyline', { fill: 'none', stroke: blue, 'stroke-width': 2, points: points(values) }),
    ...values.map((v, i) =>
      emptyElement('circle', {
        cx: x(i),
        cy: y(v),
        r: 4.5,
        fill: i < extracted ? blue : '#ffffff',
        stroke: blue,
        'stroke-width': 1.5,
      }),
    ),
  ];
}

/** What the Kaiser line and the random eigenvalues' line are, above the plot. */
function legend(withRandom: boolean, locale: Locale): string[] {
  const ly = TOP - 16;
  const entry = (x: number, stroke: Attributes, key: 'kaiserLine' | 'randomEigenvalue') =>
    line(x, ly, x + 25, ly, stroke) +
    text({ x: x + 30, y: ly + 4, 'font-size': 11, fill: '#444' }, analysisText(locale, key));
  return [
    entry(WIDTH - 330, KAISER, 'kaiserLine'),
    ...(withRandom ? [entry(WIDTH - 190, RANDOM, 'randomEigenvalue')] : []),
  ];
}

/**
 * The scree plot: the unrotated eigenvalues per component (line and dots), the Kaiser line at 1 (dashed) and, when
 * it ran, the parallel analysis's random eigenvalues (dotted grey). The extracted factors are drawn filled.
 */
export function screeSvg(
  eigenvalues: number[],
  options: { random?: number[]; extracted: number; locale: Locale },
): string {
  const { locale, extracted } = options;
  const values = eigenvalues.slice(0, MAX_POINTS);
  const random = options.random?.slice(0, values.length);
  const scale = scaleOf(values, random);
  const size = { width: WIDTH, height: HEIGHT };
  const svg = { xmlns: 'http://www.w3.org/2000/svg', ...size, viewBox: `0 0 ${WIDTH} ${HEIGHT}`, 'font-family': FONT };
  const title = { x: WIDTH / 2, y: 22, 'font-size': 15, 'text-anchor': 'middle', fill: '#222' };
  const parts = [
    emptyElement('rect', { ...size, fill: '#ffffff' }),
    text(title, analysisText(locale, 'scree')),
    ...axes(scale, values.length, locale),
    ...curves(scale, values, random, extracted),
    ...legend(!!random && random.length > 1, locale),
  ];
  return element('svg', svg, `\n${parts.join('\n')}\n`);
}

/** The SVG rendered to PNG by resvg with the system's fonts (no network). */
export function screePng(svg: string, fontFiles: string[] = []): Buffer {
  const image = new Resvg(svg, {
    background: '#ffffff',
    font: { loadSystemFonts: true, fontFiles, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  }).render();
  return Buffer.from(image.asPng());
}
