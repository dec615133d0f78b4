import type { Content } from '../content/load.js';
import { allowedWordsOf } from '../interview/nameGuard.js';
import type { Locale } from '../interview/types.js';
import type { Stores } from '../ports/stores.js';
import { analyse, type AnalysisOptions, type AnalysisResult } from './analyse.js';
import { selectQuotes, type QuoteSelection } from './quotes.js';
import { analysisJson, reportFiles, type ReportFile } from './report.js';
import { loadRoundData, roundOptions, type RoundData } from './round.js';
import {
  summarise,
  summaryMarkdown,
  viewpointsSection,
  type AnalysisSummary,
  type ViewpointsSection,
} from './summary.js';
import { summaryCard, type AnalysisSummaryView } from './summaryCard.js';

export interface RoundAnalysis {
  data: RoundData;
  locale: Locale;
  /** Competency names in the locale, in deck order: the statements. */
  statements: string[];
  result: AnalysisResult;
  quotes: QuoteSelection;
  summary: AnalysisSummary;
  /** For Teams: the summary as markdown and as a card view (template analysisSummary). */
  summaryMarkdown: string;
  summaryCard: AnalysisSummaryView;
  /** For the digest of a closed round; null below k. */
  viewpoints: ViewpointsSection | null;
  /**
   * The researcher's file(s) in a format, named `<base>.<ext>` (default base `<round>-analysis`; md adds
   * `<base>-scree.png`).
   */
  files(format: 'md' | 'html' | 'json', base?: string): ReportFile[];
}

export type RoundAnalysisOptions = Pick<
  AnalysisOptions,
  'factors' | 'extraction' | 'rotation' | 'flags' | 'parallel'
> & { locale?: Locale; now?: Date; fontFiles?: string[] };

/**
 * Reads a round's completed sorts from the stores (as the research export does) and analyses them: what the CLI
 * (`npm run analyse -- --round ID`), the Teams command `analyse <round>` and the final digest need, in one object.
 */
export async function analyseRound(
  stores: Pick<Stores, 'answers' | 'keys'>,
  content: Content,
  roundId: string | undefined,
  options: RoundAnalysisOptions = {},
): Promise<RoundAnalysis> {
  const data = await loadRoundData(stores, content, roundId);
  const locale = options.locale ?? data.round.digest.language;
  const statements = data.statements.map((s) => s.competency.name[locale]);
  const result = analyse(data.sorts, statements, {
    ...roundOptions(data),
    factors: options.factors,
    extraction: options.extraction,
    rotation: options.rotation,
    flags: options.flags,
    parallel: options.parallel,
  });
  const quotes = selectQuotes(result, data.quotes, allowedWordsOf(data.guide, data.deck, data.round));
  const summary = summarise(result, statements);
  const roundName = data.round.name[locale];
  const generatedAt = (options.now ?? new Date()).toISOString();
  return {
    data,
    locale,
    statements,
    result,
    quotes,
    summary,
    summaryMarkdown: summaryMarkdown(summary, roundName, locale),
    summaryCard: summaryCard(summary, roundName, locale),
    viewpoints: viewpointsSection(result, statements, locale),
    files(format, base = `${data.round.id}-analysis`) {
      if (format === 'json')
        return [
          {
            name: `${base}.json`,
            content: analysisJson(result, { title: roundName, statements, placed: data.placed, quotes }),
            contentType: 'application/json; charset=utf-8',
          },
        ];
      return reportFiles(
        {
          result,
          title: roundName,
          statements,
          locale,
          placed: data.placed,
          openDistribution: true,
          quotes,
          generatedAt,
          fontFiles: options.fontFiles,
        },
        format,
        base,
      );
    },
  };
}
