import escapeHtml from 'escape-html';
import type { Digest } from './aggregate.js';
import { cellFill, COLOURS, digestChart, notPickedFill } from './heatmap.js';
import { attributes, dataUri, element, type Attributes } from '../markup.js';
import {
  present,
  type ClusterView,
  type Fact,
  type Presentation,
  type QuoteGroupView,
  type RankList,
  type TableRow,
} from './present.js';
import { defined } from '../defined.js';

/*
 * The digest as one standalone HTML page: inline CSS, the chart as a data URI, nothing fetched. It prints to PDF on
 * A4 (sections are not split across pages where it can be helped).
 */

export interface HtmlOptions {
  /** The chart PNG (default: the full chart, rendered here). */
  chartPng?: Buffer;
}

/** Bold as the card writes it (**x**) and nothing else: the rest of the text is escaped. */
function inline(text: string): string {
  return escapeHtml(text).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
}

/* The page's longest rules, split where the source would run past its line length. */
const ROOT_COLOURS =
  `:root { --ink: ${COLOURS.ink}; --subtle: ${COLOURS.subtle}; --neg: ${COLOURS.negative}; ` +
  `--pos: ${COLOURS.positive}; --line: #e5e7eb; --empty: ${COLOURS.empty}; }`;
const BODY =
  "body { margin: 0; font-family: 'Segoe UI', 'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif; " +
  'color: var(--ink); background: #f8fafc; line-height: 1.45; }';
const FIGURE_IMAGE =
  'figure img { width: 100%; max-width: 800px; height: auto; display: block; ' +
  'border: 1px solid var(--line); border-radius: 8px; }';
const TABLE =
  'table { border-collapse: separate; border-spacing: 2px; width: 100%; table-layout: fixed; font-size: 14px; ' +
  'break-inside: avoid; }';
const BLOCKQUOTE =
  'blockquote { margin: 8px 0; padding: 8px 14px; border-left: 4px solid var(--pos); background: #f0fdfa; ' +
  'border-radius: 0 6px 6px 0; break-inside: avoid; }';

const CSS = `
${ROOT_COLOURS}
* { box-sizing: border-box; }
${BODY}
main { max-width: 920px; margin: 0 auto; padding: 32px 28px 48px; background: #fff; }
header { border-bottom: 3px solid var(--pos); padding-bottom: 12px; margin-bottom: 20px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
.subtle, .subtitle { color: var(--subtle); }
.subtitle { margin: 0; font-size: 14px; }
.stats { display: flex; gap: 14px; flex-wrap: wrap; margin: 8px 0; }
.stat { flex: 1 1 160px; border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px; background: #fff; }
.stat .label { font-size: 13px; color: var(--subtle); }
.stat .value { font-size: 30px; font-weight: 700; line-height: 1.2; }
.stat .change { font-size: 14px; color: var(--subtle); margin-left: 4px; font-weight: 400; }
.notice { background: #fff7ed; border-left: 4px solid var(--neg); padding: 12px 16px; border-radius: 6px; }
figure { margin: 8px 0; }
${FIGURE_IMAGE}
figcaption { font-size: 13px; color: var(--subtle); margin-top: 6px; }
.lists { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 14px; }
.list { border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; break-inside: avoid; }
.list h3 { margin-top: 0; font-size: 14px; color: var(--subtle); }
.list ol { margin: 0; padding-left: 22px; }
.list li { margin: 3px 0; }
.list .v { color: var(--subtle); font-size: 13px; white-space: nowrap; }
table.bars { table-layout: auto; border-spacing: 0 3px; }
table.bars td { padding: 2px 6px; text-align: left; }
table.bars td.name { width: 45%; }
table.bars td.bar { width: 40%; }
table.bars td.bar span { display: block; height: 12px; border-radius: 3px; background: var(--pos); min-width: 2px; }
table.bars td.v { color: var(--subtle); font-size: 13px; white-space: nowrap; }
.intro { font-size: 14px; color: var(--subtle); margin: 4px 0 10px; }
${TABLE}
col.name { width: 36%; }
th { font-weight: 600; color: var(--subtle); font-size: 13px; text-align: center; padding: 2px 4px; }
th.name { text-align: left; }
td { padding: 4px 6px; text-align: center; border-radius: 4px; }
td.name { text-align: left; background: none; }
td.count { font-weight: 700; }
td.mean { font-weight: 700; background: none; }
td.mean.pos { color: var(--pos); } td.mean.neg { color: var(--neg); }
td.n { color: var(--subtle); background: none; }
.cluster { break-inside: avoid; }
${BLOCKQUOTE}
.notes { font-size: 13px; color: var(--subtle); }
@media print {
  body { background: #fff; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  .stat, .list, blockquote, table { break-inside: avoid; }
  .list.long, table.bars { break-inside: auto; }
  @page { size: A4; margin: 16mm 14mm; }
}
`;

/** A section of the page: its lines, one under the other. */
const section = (lines: string[]) => ['<section>', ...lines, '</section>'].join('\n');
const text = (tag: string, value: string, attrs: Attributes = {}) => element(tag, attrs, escapeHtml(value));

/** A fact as a tile; a count with its change ("5 (+2)") shows the change smaller, a text value smaller still. */
function stat(f: Fact): string {
  const m = /^(\d+) \((.+)\)$/.exec(f.value);
  const value = m
    ? escapeHtml(m[1]) + text('span', defined(m[2], 'a change'), { class: 'change' })
    : escapeHtml(f.value);
  const style = m || /^\d+$/.test(f.value) ? undefined : 'font-size:16px;font-weight:600';
  const label = text('div', f.label, { class: 'label' });
  return element('div', { class: 'stat' }, label + element('div', { class: 'value', style }, value));
}

function response(p: Presentation): string {
  return section([
    text('h2', p.response.heading),
    element('div', { class: 'stats' }, p.response.facts.map(stat).join('\n')),
    p.response.notes.map((n) => text('p', n, { class: 'subtle' })).join('\n'),
    p.belowK ? text('p', p.belowK, { class: 'notice' }) : '',
  ]);
}

/** A ranked list: ratings as bars, the rest numbered. */
function rankList(l: RankList): string {
  const bar = (i: Fact) =>
    element(
      'tr',
      {},
      text('td', i.label, { class: 'name' }) +
        element('td', { class: 'bar' }, element('span', { style: `width:${Math.round((i.bar ?? 0) * 100)}%` }, '')) +
        text('td', i.value, { class: 'v' }),
    );
  const numbered = (i: Fact) =>
    element('li', {}, escapeHtml(i.label) + (i.value ? ` ${text('span', i.value, { class: 'v' })}` : ''));
  const items =
    l.items.length === 0
      ? text('p', l.empty, { class: 'subtle' })
      : l.items.some((i) => i.bar !== undefined)
        ? element('table', { class: 'bars' }, l.items.map(bar).join(''))
        : element('ol', {}, l.items.map(numbered).join(''));
  const heading = l.heading ? text('h3', l.heading) : '';
  return element('div', { class: l.items.length > 10 ? 'list long' : 'list' }, heading + items);
}

function rankings(p: Presentation): string {
  return p.rankings
    .map((r) =>
      section([
        text('h2', r.heading),
        r.intro ? text('p', r.intro, { class: 'intro' }) : '',
        '<div class="lists">',
        r.lists.map(rankList).join('\n'),
        '</div>',
      ]),
    )
    .join('\n');
}

type Tables = NonNullable<Presentation['tables']>;

/** A competency's row: a coloured cell per column of the scale, then "not picked", the mean and n. */
function tableRow(r: TableRow, values: number[], max: number, n: number): string {
  const count = (value: number, k: number) => {
    const { fill, ink } = cellFill(defined(values[k], 'value of a scale column'), value, max);
    return element('td', { class: 'count', style: `background:${fill};color:${ink}` }, String(value || ''));
  };
  const sign = r.mean.startsWith('+') ? 'pos' : r.mean.startsWith('−') ? 'neg' : '';
  const cells = [
    text('td', r.name, { class: 'name' }),
    ...r.counts.map(count),
    element('td', { style: `background:${notPickedFill(r.notPicked, n)}` }, String(r.notPicked)),
    text('td', r.mean, { class: `mean ${sign}` }),
    element('td', { class: 'n' }, String(r.n)),
  ];
  return element('tr', {}, cells.join(''));
}

function clusterTable(t: Tables, c: ClusterView, i: number, rows: string[]): string {
  const head = [
    text('th', t.competency, { class: 'name' }),
    ...t.columns.map((column) => text('th', column)),
    text('th', t.notPickedShort, { title: t.notPicked }),
    text('th', t.mean),
    '<th>n</th>',
  ];
  return [
    '<div class="cluster">',
    text('h3', c.name),
    `<table${attributes({ 'aria-label': c.name, 'data-cluster': i })}>`,
    `<colgroup><col class="name">${'<col>'.repeat(t.columns.length + 3)}</colgroup>`,
    element('thead', {}, element('tr', {}, head.join(''))),
    '<tbody>',
    rows.join('\n'),
    '</tbody>',
    '</table>',
    '</div>',
  ].join('\n');
}

function tables(p: Presentation): string {
  const t = p.tables;
  if (!t) return '';
  const max = Math.max(1, ...t.clusters.flatMap((c) => c.rows.flatMap((r) => r.counts)));
  const values = t.columns.map((c) => Number(c.replace('−', '-')));
  const n = Math.max(0, ...t.clusters.flatMap((c) => c.rows.map((r) => r.n + r.notPicked)));
  const clusters = t.clusters.map((c, i) =>
    clusterTable(
      t,
      c,
      i,
      c.rows.map((r) => tableRow(r, values, max, n)),
    ),
  );
  return section([text('h2', t.heading), text('p', t.intro, { class: 'intro' }), clusters.join('\n')]);
}

function quotes(p: Presentation): string {
  const q = p.quotes;
  if (!q) return '';
  const quote = (x: QuoteGroupView['quotes'][number]) => element('blockquote', {}, `“${escapeHtml(x.text)}”`);
  const group = (g: QuoteGroupView) => [text('h3', g.heading), ...g.quotes.map(quote)].join('\n');
  const groups = q.groups.length ? q.groups.map(group).join('\n') : text('p', q.empty, { class: 'subtle' });
  return section([text('h2', q.heading), text('p', q.intro, { class: 'intro' }), groups]);
}

function chart(p: Presentation, png: Buffer | null): string {
  if (!p.chart || !png) return '';
  const image = `<img${attributes({ src: dataUri(png), alt: p.chart.alt })}>`;
  return section([text('h2', p.chart.heading), element('figure', {}, image + text('figcaption', p.chart.caption))]);
}

function notes(p: Presentation): string {
  if (!p.notes) return '';
  const items = p.notes.items.map((n) => element('p', {}, inline(n))).join('\n');
  return element('section', { class: 'notes' }, text('h2', p.notes.heading) + items);
}

export function digestHtml(digest: Digest, options: HtmlOptions = {}): string {
  const p = present(digest);
  const png = digest.details ? (options.chartPng ?? digestChart(digest.details, digest.locale)) : null;
  return `<!DOCTYPE html>
<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(p.title)}</h1>
<p class="subtitle">${escapeHtml(p.subtitle)}</p>
</header>
${response(p)}
${chart(p, png)}
${rankings(p)}
${tables(p)}
${quotes(p)}
${notes(p)}
</main>
</body>
</html>
`;
}
