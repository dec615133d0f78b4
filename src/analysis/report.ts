import escapeHtml from 'escape-html';
import type { Locale } from '../interview/types.js';
import type { AnalysisResult } from './analyse.js';
import { factorLabel, num, signedColumn, analysisText, warningText } from './messages.js';
import type { QuoteSelection } from './quotes.js';
import { screePng, screeSvg } from './scree.js';
import { formatAmsterdam } from '../time.js';
import { defined } from '../defined.js';

/*
 * The researcher's report, in Markdown (with the scree plot as a PNG file beside it) or HTML (the PNG inside):
 * warnings, the number of factors, the scree plot and eigenvalues, the loadings with flags, the factor
 * characteristics, per viewpoint its factor array as a Q-sort board, its distinguishing statements and quotes, the
 * consensus statements and all z-scores. Viewpoints with fewer defining sorts than k are marked: they belong in this
 * file only. Built once as blocks, rendered to either format.
 */

export interface ReportInput {
  result: AnalysisResult;
  title: string;
  /** Statement texts, in statement order. */
  statements: string[];
  locale: Locale;
  /** Cards each sort placed, for an open distribution (the rest count as 0). */
  placed?: number[];
  /** The round's data: unpicked cards counted as 0. */
  openDistribution?: boolean;
  quotes?: QuoteSelection;
  /** ISO time of the analysis; default now. */
  generatedAt?: string;
  fontFiles?: string[];
}

export interface ReportFile {
  name: string;
  content: string | Buffer;
  contentType?: string;
}

type Block =
  | { kind: 'h'; level: 1 | 2 | 3; text: string }
  | { kind: 'p'; text: string; small?: boolean }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; head: string[]; rows: string[][]; numeric?: boolean[] }
  | { kind: 'image'; alt: string; name: string; png: Buffer }
  | { kind: 'board'; columns: { value: number; cards: string[] }[] };

const label = (statements: string[], i: number) => `${i + 1}. ${statements[i]}`;

function countsText(values: number[]): string {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([v, c]) => `${signedColumn(v)}: ${c}`)
    .join(', ');
}

const Z_SCORES = "a statement's z-scores";

/** A statement's column in a factor's array ("+2"), or "–" where the factor has no scores. */
function arrayColumn(r: AnalysisResult, statement: number, factor: number): string {
  const column = defined(defined(r.factorArrays[statement], 'factor arrays of a statement')[factor], 'array column');
  return column === null ? '–' : signedColumn(column);
}

function blocks(input: ReportInput, screeName: string): Block[] {
  const { result: r, statements, locale } = input;
  const L = (key: Parameters<typeof analysisText>[1], values?: Record<string, string | number>) =>
    analysisText(locale, key, values);
  const out: Block[] = [];
  const at = input.generatedAt ?? new Date().toISOString();
  out.push({ kind: 'h', level: 1, text: L('reportTitle', { title: input.title }) });
  out.push({
    kind: 'p',
    text: L('generated', { at: formatAmsterdam(at, "d MMMM yyyy', 'HH:mm", locale) }),
    small: true,
  });
  if (input.openDistribution) out.push({ kind: 'p', text: L('researcherOnly'), small: true });
  out.push({
    kind: 'p',
    text: L('data', {
      sorts: r.nSorts,
      statements: r.nStatements,
      extraction: L(r.extraction),
      rotation: L(r.rotation),
      factors: r.nFactors,
      source: L(r.factorSource === 'given' ? 'sourceGiven' : 'sourceSuggested'),
    }),
  });
  if (r.warningKinds.length) {
    out.push({ kind: 'h', level: 2, text: L('warnings') });
    out.push({ kind: 'list', items: r.warningKinds.map((w) => warningText(w, locale)) });
  }
  if (input.openDistribution || r.distribution.kind === 'pooled') {
    out.push({ kind: 'h', level: 2, text: L('openTitle') });
    out.push({
      kind: 'p',
      text: L('openNote', { statements: r.nStatements, counts: countsText(r.distribution.values) }),
    });
  } else {
    out.push({
      kind: 'p',
      text: L(r.distribution.kind === 'forced' ? 'forcedNote' : 'givenNote', {
        counts: countsText(r.distribution.values),
      }),
    });
  }

  // Number of factors and the scree plot.
  const s = r.suggestion;
  out.push({ kind: 'h', level: 2, text: L('howMany') });
  out.push({
    kind: 'p',
    text: L('howManyText', {
      kaiser: s.kaiser,
      humphrey: s.humphrey,
      parallel: s.parallel ? s.parallel.retained : L('parallelOff'),
      iterations: s.parallel?.iterations ?? 0,
      seed: s.parallel?.seed ?? '–',
      percentile: s.parallel?.percentile ?? 95,
      suggested: s.suggested,
      used: r.nFactors,
    }),
  });
  const svg = screeSvg(r.eigenvalues, { random: s.parallel?.randomEigenvalues, extracted: r.nFactors, locale });
  out.push({ kind: 'image', alt: L('screeAlt'), name: screeName, png: screePng(svg, input.fontFiles) });
  let cumulative = 0;
  out.push({
    kind: 'table',
    head: [
      L('component'),
      L('eigenvalue'),
      L('variance'),
      L('cumulative'),
      ...(s.parallel ? [L('randomEigenvalue')] : []),
    ],
    rows: r.eigenvalues.map((v, i) => {
      const variance = defined(r.explainedVariance[i], 'explained variance');
      cumulative += variance;
      return [
        String(i + 1),
        num(locale, v, 3),
        num(locale, variance, 1),
        num(locale, cumulative, 1),
        ...(s.parallel ? [num(locale, defined(s.parallel.randomEigenvalues[i], 'random eigenvalue'), 3)] : []),
      ];
    }),
    numeric: [true, true, true, true, true],
  });
  if (r.nSorts > r.eigenvalues.length)
    out.push({
      kind: 'p',
      text: L('zeroRest', { rest: r.nSorts - r.eigenvalues.length, rank: r.nStatements - 1 }),
      small: true,
    });

  // Loadings with flags.
  const factors = Array.from({ length: r.nFactors }, (_, f) => factorLabel(f));
  out.push({ kind: 'h', level: 2, text: L('loadings') });
  const overrides = r.flagged
    .map((f, j) => (f !== r.autoFlagged[j] ? `${r.sortNames[j]} → ${f === null ? '–' : factorLabel(f)}` : null))
    .filter((x): x is string => x !== null);
  out.push({
    kind: 'p',
    text: L('loadingsNote', {
      statements: r.nStatements,
      threshold: num(locale, 1.96 / Math.sqrt(r.nStatements), 3),
      overrides: overrides.length ? L('overridden', { list: overrides.join(', ') }) : '',
    }).trim(),
    small: true,
  });
  out.push({
    kind: 'table',
    head: [L('sort'), ...(input.placed ? [L('placed')] : []), ...factors, 'h²'],
    rows: r.loadings.map((row, j) => [
      defined(r.sortNames[j], 'sort name'),
      ...(input.placed ? [String(input.placed[j])] : []),
      ...row.map((a, f) => `${num(locale, a, 2)}${r.flagged[j] === f ? ' *' : ''}`),
      num(locale, defined(r.communalities[j], 'communality'), 2),
    ]),
    numeric: [false, ...(input.placed ? [true] : []), ...factors.map(() => true), true],
  });

  // Characteristics.
  out.push({ kind: 'h', level: 2, text: L('characteristics') });
  out.push({
    kind: 'table',
    head: ['', L('definingSorts'), L('ssl'), L('explained'), L('reliability'), L('se'), ''],
    rows: r.factors.map((f) => [
      factorLabel(f.index),
      String(f.definingSorts),
      num(locale, f.sumOfSquaredLoadings, 2),
      num(locale, f.explainedVariance, 1),
      num(locale, f.compositeReliability, 2),
      num(locale, f.standardError, 2),
      f.belowK ? L('belowK', { k: r.k }) : '',
    ]),
    numeric: [false, true, true, true, true, true, false],
  });

  // Per viewpoint.
  for (const f of r.factors) {
    const heading =
      L('viewpoint', { factor: factorLabel(f.index) }) + (f.belowK ? ` (${L('belowK', { k: r.k })})` : '');
    out.push({ kind: 'h', level: 2, text: heading });
    const defining = r.sortNames.filter((_, j) => r.flagged[j] === f.index);
    out.push({
      kind: 'p',
      text: L('viewpointMeta', {
        defining: f.definingSorts,
        names: defining.join(', ') || '–',
        explained: num(locale, f.explainedVariance, 1),
      }),
    });
    const array = r.factorArrays.map((row) => row[f.index]);
    if (array.some((v) => v === null)) {
      out.push({ kind: 'p', text: L('noScores') });
      continue;
    }
    out.push({ kind: 'h', level: 3, text: L('board') });
    const zOn = (statement: number) => defined(r.zScores[statement], Z_SCORES)[f.index] as number;
    const values = [...new Set(r.distribution.values)].sort((a, b) => a - b);
    const lo = Math.min(...values, ...(array as number[])),
      hi = Math.max(...values, ...(array as number[]));
    const columns = Array.from({ length: hi - lo + 1 }, (_, c) => lo + c).map((value) => ({
      value,
      cards: array
        .map((v, i) => (v === value ? i : -1))
        .filter((i) => i >= 0)
        .sort((a, b) => zOn(b) - zOn(a))
        .map((i) => label(statements, i)),
    }));
    out.push({ kind: 'board', columns });

    out.push({ kind: 'h', level: 3, text: L('distinguishing') });
    const dist = r.distinguishing
      .filter((d) => d.factor === f.index)
      .sort((a, b) => (b.zScores[f.index] as number) - (a.zScores[f.index] as number));
    if (r.nFactors < 2) out.push({ kind: 'p', text: L('oneFactor') });
    else if (!dist.length) out.push({ kind: 'p', text: L('noneFound') });
    else {
      out.push({ kind: 'p', text: L('distinguishingNote'), small: true });
      out.push({
        kind: 'table',
        head: [L('statement'), ...factors.map((name) => `${name} z (array)`), L('level')],
        rows: dist.map((d) => [
          label(statements, d.statement),
          ...factors.map(
            (_, g) => `${num(locale, defined(d.zScores[g], Z_SCORES), 2)} (${arrayColumn(r, d.statement, g)})`,
          ),
          d.level === 0.01 ? '**' : '*',
        ]),
        numeric: [false, ...factors.map(() => true), false],
      });
    }
    if (input.quotes) {
      out.push({ kind: 'h', level: 3, text: L('quotes') });
      const quotes = input.quotes.byFactor[f.index] ?? [];
      out.push({ kind: 'p', text: L('quotesNote'), small: true });
      out.push(
        quotes.length
          ? {
              kind: 'list',
              items: quotes.map(
                (q) => `${q.code}, ${label(statements, q.statement)} (${signedColumn(q.column)}): “${q.text}”`,
              ),
            }
          : { kind: 'p', text: L('noQuotes') },
      );
    }
  }
  if (input.quotes?.omitted)
    out.push({ kind: 'p', text: L('quotesOmitted', { count: input.quotes.omitted }), small: true });

  // Consensus.
  out.push({ kind: 'h', level: 2, text: L('consensus') });
  if (r.nFactors < 2) out.push({ kind: 'p', text: L('oneFactor') });
  else if (!r.consensus.length) out.push({ kind: 'p', text: L('noneFound') });
  else {
    out.push({ kind: 'p', text: L('consensusNote'), small: true });
    out.push({
      kind: 'table',
      head: [L('statement'), ...factors.map((name) => `${name} z (array)`)],
      rows: r.consensus.map((c) => [
        label(statements, c.statement),
        ...factors.map(
          (_, g) => `${num(locale, defined(c.zScores[g], Z_SCORES), 2)} (${arrayColumn(r, c.statement, g)})`,
        ),
      ]),
      numeric: [false, ...factors.map(() => true)],
    });
  }

  // All scores.
  out.push({ kind: 'h', level: 2, text: L('scores') });
  out.push({
    kind: 'table',
    head: [L('statement'), ...factors.flatMap((name) => [`${name} z`, `${name}`])],
    rows: r.zScores.map((row, i) => [
      label(statements, i),
      ...row.flatMap((z, f) => [num(locale, z, 2), arrayColumn(r, i, f)]),
    ]),
    numeric: [false, ...factors.flatMap(() => [true, true])],
  });
  return out;
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markdown(list: Block[]): string {
  const lines: string[] = [];
  for (const b of list) {
    switch (b.kind) {
      case 'h':
        lines.push(`${'#'.repeat(b.level)} ${b.text}`, '');
        break;
      case 'p':
        lines.push(b.small ? `_${b.text}_` : b.text, '');
        break;
      case 'list':
        lines.push(...b.items.map((i) => `- ${i.replace(/\n/g, ' ')}`), '');
        break;
      case 'image':
        lines.push(`![${b.alt}](${b.name})`, '');
        break;
      case 'table':
        lines.push(`| ${b.head.map(mdCell).join(' | ')} |`);
        lines.push(`| ${b.head.map((_, c) => (b.numeric?.[c] ? '---:' : '---')).join(' | ')} |`);
        for (const row of b.rows) lines.push(`| ${row.map(mdCell).join(' | ')} |`);
        lines.push('');
        break;
      case 'board': {
        const depth = Math.max(1, ...b.columns.map((c) => c.cards.length));
        lines.push(`| ${b.columns.map((c) => signedColumn(c.value)).join(' | ')} |`);
        lines.push(`| ${b.columns.map(() => ':---:').join(' | ')} |`);
        for (let r = 0; r < depth; r++) lines.push(`| ${b.columns.map((c) => mdCell(c.cards[r] ?? '')).join(' | ')} |`);
        lines.push('');
        break;
      }
    }
  }
  return lines.join('\n');
}

const STYLE = `body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}th{background:#f2f2f2}
td.n{text-align:right;font-variant-numeric:tabular-nums}.small{color:#555;font-size:.9em}img{max-width:100%}
.board{display:flex;gap:6px;align-items:flex-end;margin:.5em 0 1.5em}.col{flex:1;display:flex;flex-direction:column-reverse;gap:4px;min-width:90px}
.col .head{text-align:center;font-weight:bold;border-top:2px solid #1f5f8b;padding-top:2px}.card{border:1px solid #9bb8cc;background:#eef5fa;border-radius:4px;padding:4px;font-size:.8em}`;

function html(list: Block[], title: string, lang: Locale): string {
  const body: string[] = [];
  for (const b of list) {
    switch (b.kind) {
      case 'h':
        body.push(`<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`);
        break;
      case 'p':
        body.push(`<p${b.small ? ' class="small"' : ''}>${escapeHtml(b.text)}</p>`);
        break;
      case 'list':
        body.push(`<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`);
        break;
      case 'image':
        body.push(`<p><img alt="${escapeHtml(b.alt)}" src="data:image/png;base64,${b.png.toString('base64')}"></p>`);
        break;
      case 'table':
        body.push(
          `<table><thead><tr>${b.head.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${b.rows.map((row) => `<tr>${row.map((c, i) => `<td${b.numeric?.[i] ? ' class="n"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`,
        );
        break;
      case 'board':
        body.push(
          `<div class="board">${b.columns.map((c) => `<div class="col"><div class="head">${escapeHtml(signedColumn(c.value))}</div>${c.cards.map((card) => `<div class="card">${escapeHtml(card)}</div>`).join('')}</div>`).join('')}</div>`,
        );
        break;
    }
  }
  return `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>\n${body.join('\n')}\n</body></html>\n`;
}

/** The report as files: Markdown plus its scree PNG (`<base>.md`, `<base>-scree.png`), or one HTML file. */
export function reportFiles(input: ReportInput, format: 'md' | 'html', base: string): ReportFile[] {
  const screeName = `${base.replace(/^.*[\\/]/, '')}-scree.png`;
  const list = blocks(input, screeName);
  if (format === 'html')
    return [
      {
        name: `${base}.html`,
        content: html(list, analysisText(input.locale, 'reportTitle', { title: input.title }), input.locale),
        contentType: 'text/html; charset=utf-8',
      },
    ];
  const image = list.find((b): b is Extract<Block, { kind: 'image' }> => b.kind === 'image');
  return [
    { name: `${base}.md`, content: markdown(list), contentType: 'text/markdown; charset=utf-8' },
    ...(image ? [{ name: `${base}-scree.png`, content: image.png, contentType: 'image/png' }] : []),
  ];
}

/** The analysis as JSON (the fields README documents), with the statements and sort names it refers to. */
export function analysisJson(
  result: AnalysisResult,
  extra: { title?: string; statements: string[]; placed?: number[]; quotes?: QuoteSelection },
): string {
  return `${JSON.stringify({ title: extra.title ?? null, statements: extra.statements, placed: extra.placed ?? null, ...result, quotes: extra.quotes?.byFactor ?? null }, null, 2)}\n`;
}
