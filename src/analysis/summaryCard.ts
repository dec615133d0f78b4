import { templateNames, type ViewsOf } from '../content/cardTemplate.js';
import type { Locale } from '../interview/types.js';
import { num, tx } from './messages.js';
import type { AnalysisSummary } from './summary.js';

/** The view model of cards/templates/analysisSummary.json: the summary card of `analyse <round>`. */
export interface AnalysisSummaryData {
  title: string;
  /** How many sorts and viewpoints, or why none is shown. */
  intro: string;
  viewpoints: { heading: string; top: string; bottom: string }[];
  topLabel: string;
  bottomLabel: string;
  /** Empty: no viewpoint was left out. */
  hidden: string;
}

interface AnalysisCardData {
  analysisSummary: AnalysisSummaryData;
}

export const ANALYSIS_TEMPLATES = templateNames<AnalysisCardData>({ analysisSummary: true });

export type AnalysisSummaryView = ViewsOf<AnalysisCardData>;

/** The summary as a card: one container per viewpoint shown. */
export function summaryCard(summary: AnalysisSummary, roundName: string, locale: Locale): AnalysisSummaryView {
  const counts = { sorts: summary.nSorts, factors: summary.nFactors, shown: summary.shown.length, k: summary.k };
  const showsHidden = !summary.tooFewSorts && summary.hidden > 0;
  return {
    template: 'analysisSummary',
    data: {
      title: tx(locale, 'summaryTitle', { round: roundName }),
      intro: summary.tooFewSorts ? tx(locale, 'tooFew', { k: summary.k }) : tx(locale, 'summaryCount', counts),
      viewpoints: summary.shown.map((v) => ({
        heading: tx(locale, 'summaryViewpoint', {
          factor: v.label, defining: v.definingSorts, explained: num(locale, v.explainedVariance, 0),
        }),
        top: v.top.map((s) => s.name).join('; '),
        bottom: v.bottom.map((s) => s.name).join('; '),
      })),
      topLabel: tx(locale, 'top'),
      bottomLabel: tx(locale, 'bottom'),
      hidden: showsHidden ? tx(locale, 'summaryHidden', { hidden: summary.hidden, k: summary.k }) : '',
    },
  };
}
