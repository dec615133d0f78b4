import escapeHtml from 'escape-html';
import type { Locale } from '../interview/types.js';
import { attributes, dataUri, element } from '../markup.js';
import { signedColumn } from './messages.js';
import type { Block } from './reportBlocks.js';

/* The report's blocks rendered to Markdown (the scree plot a file beside it) or to one HTML page (the PNG inside). */

type BlockOf<K extends Block['kind']> = Extract<Block, { kind: K }>;

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const mdRow = (cells: string[]) => `| ${cells.join(' | ')} |`;

function markdownTable(b: BlockOf<'table'>): string[] {
  return [
    mdRow(b.head.map(mdCell)),
    mdRow(b.head.map((_, c) => (b.numeric?.[c] ? '---:' : '---'))),
    ...b.rows.map((row) => mdRow(row.map(mdCell))),
    '',
  ];
}

function markdownBoard(b: BlockOf<'board'>): string[] {
  const depth = Math.max(1, ...b.columns.map((c) => c.cards.length));
  const rows = Array.from({ length: depth }, (_, r) => mdRow(b.columns.map((c) => mdCell(c.cards[r] ?? ''))));
  return [mdRow(b.columns.map((c) => signedColumn(c.value))), mdRow(b.columns.map(() => ':---:')), ...rows, ''];
}

function markdownLines(b: Block): string[] {
  switch (b.kind) {
    case 'h':
      return [`${'#'.repeat(b.level)} ${b.text}`, ''];
    case 'p':
      return [b.small ? `_${b.text}_` : b.text, ''];
    case 'list':
      return [...b.items.map((i) => `- ${i.replace(/\n/g, ' ')}`), ''];
    case 'image':
      return [`![${b.alt}](${b.name})`, ''];
    case 'table':
      return markdownTable(b);
    case 'board':
      return markdownBoard(b);
  }
}

export function markdownReport(list: Block[]): string {
  return list.flatMap(markdownLines).join('\n');
}

const STYLE = [
  'body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;' +
    'line-height:1.45}',
  'table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:.25em .5em;' +
    'vertical-align:top}th{background:#f2f2f2}',
  'td.n{text-align:right;font-variant-numeric:tabular-nums}.small{color:#555;font-size:.9em}img{max-width:100%}',
  '.board{display:flex;gap:6px;align-items:flex-end;margin:.5em 0 1.5em}.col{flex:1;display:flex;' +
    'flex-direction:column-reverse;gap:4px;min-width:90px}',
  '.col .head{text-align:center;font-weight:bold;border-top:2px solid #1f5f8b;padding-top:2px}' +
    '.card{border:1px solid #9bb8cc;background:#eef5fa;border-radius:4px;padding:4px;font-size:.8em}',
].join('\n');

function htmlTable(b: BlockOf<'table'>): string {
  const head = b.head.map((c) => element('th', {}, escapeHtml(c))).join('');
  const cell = (c: string, i: number) => element('td', { class: b.numeric?.[i] && 'n' }, escapeHtml(c));
  const rows = b.rows.map((row) => element('tr', {}, row.map(cell).join(''))).join('');
  return element('table', {}, element('thead', {}, element('tr', {}, head)) + element('tbody', {}, rows));
}

function htmlBoard(b: BlockOf<'board'>): string {
  const column = (c: BlockOf<'board'>['columns'][number]) =>
    element(
      'div',
      { class: 'col' },
      element('div', { class: 'head' }, escapeHtml(signedColumn(c.value))) +
        c.cards.map((card) => element('div', { class: 'card' }, escapeHtml(card))).join(''),
    );
  return element('div', { class: 'board' }, b.columns.map(column).join(''));
}

function htmlOf(b: Block): string {
  switch (b.kind) {
    case 'h':
      return element(`h${b.level}`, {}, escapeHtml(b.text));
    case 'p':
      return element('p', { class: b.small && 'small' }, escapeHtml(b.text));
    case 'list':
      return element('ul', {}, b.items.map((i) => element('li', {}, escapeHtml(i))).join(''));
    case 'image':
      return element('p', {}, `<img${attributes({ alt: b.alt, src: dataUri(b.png) })}>`);
    case 'table':
      return htmlTable(b);
    case 'board':
      return htmlBoard(b);
  }
}

export function htmlReport(list: Block[], title: string, lang: Locale): string {
  const head = `<head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>`;
  return `<!doctype html>\n<html lang="${lang}">${head}<body>\n${list.map(htmlOf).join('\n')}\n</body></html>\n`;
}
