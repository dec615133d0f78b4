import escapeHtml from 'escape-html';
import { Resvg } from '@resvg/resvg-js';
import type { Locale } from '../interview/types.js';
import { num, analysisText } from './messages.js';

const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

/** At most this many components are drawn; the rest are small and crowd the plot. */
const MAX_POINTS = 20;

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
  const width = 640,
    height = 380;
  const left = 60,
    right = 20,
    top = 54,
    bottom = 60;
  const plotW = width - left - right,
    plotH = height - top - bottom;
  const top1 = Math.max(1.5, ...values, ...(random ?? []));
  const yMax = Math.ceil(top1 * 2) / 2;
  const pad = 16;
  const x = (i: number) =>
    left + pad + (values.length === 1 ? (plotW - 2 * pad) / 2 : (i * (plotW - 2 * pad)) / (values.length - 1));
  const y = (v: number) => top + plotH - (v / yMax) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" font-size="15" text-anchor="middle" fill="#222">${escapeHtml(analysisText(locale, 'scree'))}</text>`,
  ];
  // Axes and grid.
  const step = yMax <= 3 ? 0.5 : yMax <= 8 ? 1 : Math.ceil(yMax / 8);
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    parts.push(`<line x1="${left}" y1="${y(v)}" x2="${width - right}" y2="${y(v)}" stroke="#e4e4e4"/>`);
    parts.push(
      `<text x="${left - 8}" y="${y(v) + 4}" font-size="11" text-anchor="end" fill="#444">${escapeHtml(num(locale, v, step < 1 ? 1 : 0))}</text>`,
    );
  }
  parts.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#444"/>`);
  parts.push(`<line x1="${left}" y1="${top + plotH}" x2="${width - right}" y2="${top + plotH}" stroke="#444"/>`);
  values.forEach((_, i) =>
    parts.push(
      `<text x="${x(i)}" y="${top + plotH + 18}" font-size="11" text-anchor="middle" fill="#444">${i + 1}</text>`,
    ),
  );
  parts.push(
    `<text x="${left + plotW / 2}" y="${height - 14}" font-size="12" text-anchor="middle" fill="#222">${escapeHtml(analysisText(locale, 'component'))}</text>`,
  );
  parts.push(
    `<text x="16" y="${top + plotH / 2}" font-size="12" text-anchor="middle" fill="#222" transform="rotate(-90 16 ${top + plotH / 2})">${escapeHtml(analysisText(locale, 'eigenvalue'))}</text>`,
  );
  // Kaiser line.
  parts.push(
    `<line x1="${left}" y1="${y(1)}" x2="${width - right}" y2="${y(1)}" stroke="#c0392b" stroke-dasharray="6 4"/>`,
  );
  // Random eigenvalues.
  if (random && random.length > 1) {
    parts.push(
      `<polyline fill="none" stroke="#888" stroke-width="1.5" stroke-dasharray="2 3" points="${random.map((v, i) => `${x(i)},${y(v)}`).join(' ')}"/>`,
    );
  }
  parts.push(
    `<polyline fill="none" stroke="#1f5f8b" stroke-width="2" points="${values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}"/>`,
  );
  values.forEach((v, i) =>
    parts.push(
      `<circle cx="${x(i)}" cy="${y(v)}" r="4.5" fill="${i < extracted ? '#1f5f8b' : '#ffffff'}" stroke="#1f5f8b" stroke-width="1.5"/>`,
    ),
  );
  // Legend.
  const ly = top - 16;
  parts.push(
    `<line x1="${width - 330}" y1="${ly}" x2="${width - 305}" y2="${ly}" stroke="#c0392b" stroke-dasharray="6 4"/><text x="${width - 300}" y="${ly + 4}" font-size="11" fill="#444">${escapeHtml(analysisText(locale, 'kaiserLine'))}</text>`,
  );
  if (random && random.length > 1) {
    parts.push(
      `<line x1="${width - 190}" y1="${ly}" x2="${width - 165}" y2="${ly}" stroke="#888" stroke-width="1.5" stroke-dasharray="2 3"/><text x="${width - 160}" y="${ly + 4}" font-size="11" fill="#444">${escapeHtml(analysisText(locale, 'randomEigenvalue'))}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** The SVG rendered to PNG by resvg with the system's fonts (no network). */
export function screePng(svg: string, fontFiles: string[] = []): Buffer {
  const image = new Resvg(svg, {
    background: '#ffffff',
    font: { loadSystemFonts: true, fontFiles, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  }).render();
  return Buffer.from(image.asPng());
}
