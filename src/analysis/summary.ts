import type { Locale } from '../interview/types.js';
import type { AnalysisResult } from './analyse.js';
import { factorLabel, num, analysisText } from './messages.js';
import { defined } from '../defined.js';

/*
 * What leaves the researcher's file: the Teams summary card of `analyse <round>` and the digest's "viewpoints"
 * section. Only viewpoints with at least k defining sorts (the round's digest.k) are named, with counts and the
 * competencies they rank highest and lowest; no R numbers, loadings or quotes. Below k sorts in all, nothing is shown.
 */

export interface RankedStatement {
  statement: number;
  name: string;
  z: number;
}

export interface ViewpointSummary {
  /** 0-based factor index; label F1, F2, ... */
  factor: number;
  label: string;
  definingSorts: number;
  explainedVariance: number;
  top: RankedStatement[];
  bottom: RankedStatement[];
}

export interface AnalysisSummary {
  nSorts: number;
  nFactors: number;
  k: number;
  /** Fewer sorts than k: no viewpoint is shown. */
  tooFewSorts: boolean;
  shown: ViewpointSummary[];
  /** Viewpoints with fewer than k defining sorts, left out. */
  hidden: number;
}

/** The top and bottom `count` statements of each viewpoint with at least k defining sorts. */
export function summarise(
  result: AnalysisResult,
  statements: string[],
  options: { count?: number; k?: number } = {},
): AnalysisSummary {
  const count = options.count ?? 3;
  const k = options.k ?? result.k;
  const tooFewSorts = result.nSorts < k;
  const eligible = result.factors.filter((f) => f.definingSorts >= k && f.definingSorts > 0);
  const shown = tooFewSorts
    ? []
    : eligible.map((f): ViewpointSummary => {
        const ranked = result.zScores
          .map((row, i) => ({ statement: i, name: defined(statements[i], 'statement'), z: row[f.index] as number }))
          .sort((a, b) => b.z - a.z || a.statement - b.statement);
        return {
          factor: f.index,
          label: factorLabel(f.index),
          definingSorts: f.definingSorts,
          explainedVariance: f.explainedVariance,
          top: ranked.slice(0, count),
          bottom: ranked.slice(-count).reverse(),
        };
      });
  return {
    nSorts: result.nSorts,
    nFactors: result.nFactors,
    k,
    tooFewSorts,
    shown,
    hidden: tooFewSorts ? result.nFactors : result.nFactors - eligible.length,
  };
}

/** The summary as Teams markdown (a message, or a card's TextBlock). */
export function summaryMarkdown(summary: AnalysisSummary, roundName: string, locale: Locale): string {
  const lines = [`**${analysisText(locale, 'summaryTitle', { round: roundName })}**`, ''];
  if (summary.tooFewSorts) return [...lines, analysisText(locale, 'tooFew', { k: summary.k })].join('\n');
  lines.push(
    analysisText(locale, 'summaryCount', {
      sorts: summary.nSorts,
      factors: summary.nFactors,
      shown: summary.shown.length,
      k: summary.k,
    }),
    '',
  );
  for (const v of summary.shown) {
    lines.push(
      `- ${analysisText(locale, 'summaryViewpoint', { factor: v.label, defining: v.definingSorts, explained: num(locale, v.explainedVariance, 0) })}`,
    );
    lines.push(`  - ${analysisText(locale, 'top')}: ${v.top.map((s) => s.name).join('; ')}`);
    lines.push(`  - ${analysisText(locale, 'bottom')}: ${v.bottom.map((s) => s.name).join('; ')}`);
  }
  if (summary.hidden) lines.push('', analysisText(locale, 'summaryHidden', { hidden: summary.hidden, k: summary.k }));
  return lines.join('\n');
}

export interface ViewpointsSection {
  title: string;
  intro: string;
  viewpoints: ViewpointSummary[];
  hidden: number;
  /** The section as Markdown, for the digest's Markdown and HTML renderers. */
  markdown: string;
}

/** The digest's "viewpoints" section for a closed round, or null when the round has fewer than k sorts or no viewpoint reaches k. */
export function viewpointsSection(
  result: AnalysisResult,
  statements: string[],
  locale: Locale,
  k = result.k,
): ViewpointsSection | null {
  const summary = summarise(result, statements, { k });
  if (summary.tooFewSorts || summary.shown.length === 0) return null;
  const title = analysisText(locale, 'digestTitle');
  const intro = analysisText(locale, 'digestIntro', { sorts: result.nSorts, k });
  const lines = [`## ${title}`, '', intro, ''];
  for (const v of summary.shown) {
    lines.push(
      `- ${analysisText(locale, 'summaryViewpoint', { factor: v.label, defining: v.definingSorts, explained: num(locale, v.explainedVariance, 0) })}`,
    );
    lines.push(`  - ${analysisText(locale, 'top')}: ${v.top.map((s) => s.name).join('; ')}`);
    lines.push(`  - ${analysisText(locale, 'bottom')}: ${v.bottom.map((s) => s.name).join('; ')}`);
  }
  if (summary.hidden) lines.push('', analysisText(locale, 'summaryHidden', { hidden: summary.hidden, k }));
  return { title, intro, viewpoints: summary.shown, hidden: summary.hidden, markdown: lines.join('\n') };
}
