import { templateNames, type ViewsOf } from '../content/cardTemplate.js';
import type { Locale } from '../interview/types.js';
import { analysisText, num } from './messages.js';
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
      title: analysisText(locale, 'summaryTitle', { round: roundName }),
      intro: summary.tooFewSorts
        ? analysisText(locale, 'tooFew', { k: summary.k })
        : analysisText(locale, 'summaryCount', counts),
      viewpoints: summary.shown.map((v) => ({
        heading: analysisText(locale, 'summaryViewpoint', {
          factor: v.label,
          defining: v.definingSorts,
          explained: num(locale, v.explainedVariance, 0),
        }),
        top: v.top.map((s) => s.name).join('; '),
        bottom: v.bottom.map((s) => s.name).join('; '),
      })),
      topLabel: analysisText(locale, 'top'),
      bottomLabel: analysisText(locale, 'bottom'),
      hidden: showsHidden ? analysisText(locale, 'summaryHidden', { hidden: summary.hidden, k: summary.k }) : '',
    },
  };
}
