import type { Digest } from './aggregate.js';
import { present } from './present.js';

/*
 * The digest as Markdown (GitHub flavour: tables). The chart is a separate PNG file, linked when its path is given.
 */

export interface MarkdownOptions {
  /** A path or URL of the chart PNG to show; without it the Markdown has no chart. */
  chartPath?: string;
}

/** Text in a table cell or list: no pipes, no line breaks, no Markdown of its own. */
function md(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/([*_`[\]<>#|])/g, '\\$1')
    .replace(/\s+/g, ' ')
    .trim();
}

export function digestMarkdown(digest: Digest, options: MarkdownOptions = {}): string {
  const p = present(digest);
  const out: string[] = [`# ${md(p.title)}`, '', `_${md(p.subtitle)}_`, '', `## ${md(p.response.heading)}`, ''];
  for (const f of p.response.facts) out.push(`- **${md(f.label)}:** ${md(f.value)}`);
  out.push('', ...p.response.notes.map(md), '');
  if (p.belowK) out.push(`> ${md(p.belowK)}`, '');

  if (p.chart) {
    out.push(`## ${md(p.chart.heading)}`, '');
    if (options.chartPath) out.push(`![${md(p.chart.alt)}](${encodeURI(options.chartPath)})`, '');
    out.push(`_${md(p.chart.caption)}_`, '');
  }

  for (const r of p.rankings) {
    out.push(`## ${md(r.heading)}`, '');
    if (r.intro) out.push(md(r.intro), '');
    for (const l of r.lists) {
      if (l.heading) out.push(`**${md(l.heading)}**`, '');
      if (l.items.length === 0) out.push(`_${md(l.empty)}_`);
      l.items.forEach((i, n) => out.push(`${n + 1}. ${md(i.label)}${i.value ? ` — ${md(i.value)}` : ''}`));
      out.push('');
    }
  }

  const t = p.tables;
  if (t) {
    out.push(`## ${md(t.heading)}`, '', md(t.intro), '');
    for (const c of t.clusters) {
      out.push(`### ${md(c.name)}`, '');
      out.push(`| ${md(t.competency)} | ${t.columns.join(' | ')} | ${md(t.notPickedShort)} | ${md(t.mean)} | n |`);
      out.push(`| :-- | ${t.columns.map(() => '--:').join(' | ')} | --: | --: | --: |`);
      for (const r of c.rows) {
        const counts = r.counts.map((v) => (v ? String(v) : '·')).join(' | ');
        out.push(`| ${md(r.name)} | ${counts} | ${r.notPicked} | ${r.mean} | ${r.n} |`);
      }
      out.push('');
    }
  }

  const q = p.quotes;
  if (q) {
    out.push(`## ${md(q.heading)}`, '', md(q.intro), '');
    if (q.groups.length === 0) out.push(`_${md(q.empty)}_`, '');
    for (const g of q.groups) {
      out.push(`### ${md(g.heading)}`, '');
      for (const x of g.quotes) out.push(`> “${md(x.text)}”`, '');
    }
  }

  if (p.notes) {
    out.push(`## ${md(p.notes.heading)}`, '');
    for (const n of p.notes.items) out.push(`- ${md(n)}`);
    out.push('');
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
