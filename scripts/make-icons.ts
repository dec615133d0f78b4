/**
 * Renders the Teams app icons (manifest/color.png, manifest/outline.png) from inline SVG.
 * Run from the repo root: npm run build && node dist/scripts/make-icons.js
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

export const ACCENT = '#0F6E56';

/** Compass needle pointing north-east inside a ring, drawn in a 96x96 box. */
function compassSymbol(opts: { ring: number; southHalf: string; hub: string }): string {
  return [
    `<circle cx="48" cy="48" r="${45 - opts.ring / 2}" fill="none" stroke="#fff" stroke-width="${opts.ring}"/>`,
    // North half solid, south half lighter so the direction reads at a glance.
    '<polygon points="74,22 55,55 41,41" fill="#fff"/>',
    `<polygon points="22,74 41,41 55,55" ${opts.southHalf}/>`,
    opts.hub,
  ].join('');
}

// Teams: 192x192, symbol 96x96 centred (48 px padding) on a solid background.
export const COLOR_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="192" height="192" viewBox="0 0 192 192">
<rect width="192" height="192" fill="${ACCENT}"/>
<g transform="translate(48 48)">${compassSymbol({
  ring: 6,
  southHalf: 'fill="#fff" fill-opacity="0.5"',
  hub: `<circle cx="48" cy="48" r="5" fill="${ACCENT}"/>`,
})}</g>
</svg>`;

// Teams: 32x32, white on transparent, no padding; only pure white, so the south half is an outline.
export const OUTLINE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 96 96">
${compassSymbol({
  ring: 8,
  southHalf: 'fill="none" stroke="#fff" stroke-width="5" stroke-linejoin="round"',
  hub: '',
})}
</svg>`;

function render(svg: string): Buffer {
  // No text in the icons, so skip the slow system-font scan.
  return new Resvg(svg, { background: 'rgba(0,0,0,0)', font: { loadSystemFonts: false } }).render().asPng();
}

export async function makeIcons(manifestDir: string): Promise<void> {
  await writeFile(path.join(manifestDir, 'color.png'), render(COLOR_SVG));
  await writeFile(path.join(manifestDir, 'outline.png'), render(OUTLINE_SVG));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = path.join(process.cwd(), 'manifest');
  await makeIcons(dir);
  console.log(`Icons written to ${dir}`);
}
