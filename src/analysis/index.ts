/** Q factor analysis: the public API. See README, "Q factor analysis". */
export {
  analyse,
  pooledDistribution,
  type AnalysisOptions,
  type AnalysisResult,
  type Extraction,
  type FactorInfo,
  type Rotation,
} from './analyse.js';
export { timeAnalysis, type AnalysisTiming } from './bench.js';
export { parseDat, parseSta, type DatFile } from './dat.js';
export { AnalysisError, DatError } from './errors.js';
export { CENTROID_MAX_SORTS } from './extract.js';
export type { FlagOverrides } from './flag.js';
export { selectQuotes, type QuoteSelection, type ViewpointQuote } from './quotes.js';
export { analysisJson, reportFiles, type ReportFile, type ReportInput } from './report.js';
export { loadRoundData, roundOptions, type QuoteCandidate, type RoundData } from './round.js';
export {
  summarise,
  summaryMarkdown,
  viewpointsSection,
  type AnalysisSummary,
  type ViewpointSummary,
  type ViewpointsSection,
} from './summary.js';
export { ANALYSIS_TEMPLATES, summaryCard, type AnalysisSummaryData, type AnalysisSummaryView } from './summaryCard.js';
export { analyseRound, type RoundAnalysis } from './pipeline.js';
