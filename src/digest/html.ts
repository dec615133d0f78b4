import escapeHtml from 'escape-html';
import type { Digest } from './aggregate.js';
import { cellFill, COLOURS, dataUri, digestChart, notPickedFill } from './heatmap.js';
import { present, type Presentation } from './present.js';
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

const CSS = `
:root { --ink: ${COLOURS.ink}; --subtle: ${COLOURS.subtle}; --neg: ${COLOURS.negative}; --pos: ${COLOURS.positive}; --line: #e5e7eb; --empty: ${COLOURS.empty}; }
* { box-sizing: border-box; }
body { margin: 0; font-family: 'Segoe UI', 'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif; color: var(--ink); background: #f8fafc; line-height: 1.45; }
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
figure img { width: 100%; max-width: 800px; height: auto; display: block; border: 1px solid var(--line); border-radius: 8px; }
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
table { border-collapse: separate; border-spacing: 2px; width: 100%; table-layout: fixed; font-size: 14px; break-inside: avoid; }
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
blockquote { margin: 8px 0; padding: 8px 14px; border-left: 4px solid var(--pos); background: #f0fdfa; border-radius: 0 6px 6px 0; break-inside: avoid; }
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

function response(p: Presentation): string {
  const stats = p.response.facts
    .map((f) => {
      const m = /^(\d+) \((.+)\)$/.exec(f.value);
      const value = m ? `${escapeHtml(m[1])}<span class="change">${escapeHtml(m[2])}</span>` : escapeHtml(f.value);
      return `<div class="stat"><div class="label">${escapeHtml(f.label)}</div><div class="value"${m || /^\d+$/.test(f.value) ? '' : ' style="font-size:16px;font-weight:600"'}>${value}</div></div>`;
    })
    .join('\n');
  return `<section>
<h2>${escapeHtml(p.response.heading)}</h2>
<div class="stats">${stats}</div>
${p.response.notes.map((n) => `<p class="subtle">${escapeHtml(n)}</p>`).join('\n')}
${p.belowK ? `<p class="notice">${escapeHtml(p.belowK)}</p>` : ''}
</section>`;
}

function rankings(p: Presentation): string {
  return p.rankings
    .map(
      (r) => `<section>
<h2>${escapeHtml(r.heading)}</h2>
${r.intro ? `<p class="intro">${escapeHtml(r.intro)}</p>` : ''}
<div class="lists">
${r.lists
  .map(
    (l) =>
      `<div class="list${l.items.length > 10 ? ' long' : ''}">${l.heading ? `<h3>${escapeHtml(l.heading)}</h3>` : ''}${
        l.items.length === 0
          ? `<p class="subtle">${escapeHtml(l.empty)}</p>`
          : l.items.some((i) => i.bar !== undefined)
            ? `<table class="bars">${l.items.map((i) => `<tr><td class="name">${escapeHtml(i.label)}</td><td class="bar"><span style="width:${Math.round((i.bar ?? 0) * 100)}%"></span></td><td class="v">${escapeHtml(i.value)}</td></tr>`).join('')}</table>`
            : `<ol>${l.items.map((i) => `<li>${escapeHtml(i.label)}${i.value ? ` <span class="v">${escapeHtml(i.value)}</span>` : ''}</li>`).join('')}</ol>`
      }</div>`,
  )
  .join('\n')}
</div>
</section>`,
    )
    .join('\n');
}

function tables(p: Presentation): string {
  const t = p.tables;
  if (!t) return '';
  const max = Math.max(1, ...t.clusters.flatMap((c) => c.rows.flatMap((r) => r.counts)));
  const values = t.columns.map((c) => Number(c.replace('−', '-')));
  const n = Math.max(0, ...t.clusters.flatMap((c) => c.rows.map((r) => r.n + r.notPicked)));
  const head = `<tr><th class="name">${escapeHtml(t.competency)}</th>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}<th title="${escapeHtml(t.notPicked)}">${escapeHtml(t.notPickedShort)}</th><th>${escapeHtml(t.mean)}</th><th>n</th></tr>`;
  return `<section>
<h2>${escapeHtml(t.heading)}</h2>
<p class="intro">${escapeHtml(t.intro)}</p>
${t.clusters
  .map(
    (c, i) => `<div class="cluster">
<h3>${escapeHtml(c.name)}</h3>
<table aria-label="${escapeHtml(c.name)}" data-cluster="${i}">
<colgroup><col class="name">${'<col>'.repeat(t.columns.length + 3)}</colgroup>
<thead>${head}</thead>
<tbody>
${c.rows
  .map(
    (r) =>
      `<tr><td class="name">${escapeHtml(r.name)}</td>${r.counts
        .map((count, k) => {
          const { fill, ink } = cellFill(defined(values[k], 'value of a scale column'), count, max);
          return `<td class="count" style="background:${fill};color:${ink}">${count || ''}</td>`;
        })
        .join(
          '',
        )}<td style="background:${notPickedFill(r.notPicked, n)}">${r.notPicked}</td><td class="mean ${r.mean.startsWith('+') ? 'pos' : r.mean.startsWith('−') ? 'neg' : ''}">${escapeHtml(r.mean)}</td><td class="n">${r.n}</td></tr>`,
  )
  .join('\n')}
</tbody>
</table>
</div>`,
  )
  .join('\n')}
</section>`;
}

function quotes(p: Presentation): string {
  const q = p.quotes;
  if (!q) return '';
  return `<section>
<h2>${escapeHtml(q.heading)}</h2>
<p class="intro">${escapeHtml(q.intro)}</p>
${
  q.groups.length
    ? q.groups
        .map(
          (g) => `<h3>${escapeHtml(g.heading)}</h3>
${g.quotes.map((x) => `<blockquote>“${escapeHtml(x.text)}”</blockquote>`).join('\n')}`,
        )
        .join('\n')
    : `<p class="subtle">${escapeHtml(q.empty)}</p>`
}
</section>`;
}

export function digestHtml(digest: Digest, options: HtmlOptions = {}): string {
  const p = present(digest);
  const png = digest.details ? (options.chartPng ?? digestChart(digest.details, digest.locale)) : null;
  const chart =
    p.chart && png
      ? `<section>
<h2>${escapeHtml(p.chart.heading)}</h2>
<figure><img src="${dataUri(png)}" alt="${escapeHtml(p.chart.alt)}"><figcaption>${escapeHtml(p.chart.caption)}</figcaption></figure>
</section>`
      : '';
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
${chart}
${rankings(p)}
${tables(p)}
${quotes(p)}
${p.notes ? `<section class="notes"><h2>${escapeHtml(p.notes.heading)}</h2>${p.notes.items.map((n) => `<p>${inline(n)}</p>`).join('\n')}</section>` : ''}
</main>
</body>
</html>
`;
}
