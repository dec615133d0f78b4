import type { AnalysisResult } from './analyse.js';
import { analysisText } from './messages.js';
import type { QuoteSelection } from './quotes.js';
import { reportBlocks, type Block, type ReportInput } from './reportBlocks.js';
import { htmlReport, markdownReport } from './reportRender.js';

/*
 * The researcher's report, in Markdown (with the scree plot as a PNG file beside it) or HTML (the PNG inside):
 * built once as blocks (reportBlocks.ts), rendered to either format (reportRender.ts).
 */

export type { ReportInput } from './reportBlocks.js';

export interface ReportFile {
  name: string;
  content: string | Buffer;
  contentType?: string;
}

/** The report as files: Markdown plus its scree PNG (`<base>.md`, `<base>-scree.png`), or one HTML file. */
export function reportFiles(input: ReportInput, format: 'md' | 'html', base: string): ReportFile[] {
  const screeName = `${base.replace(/^.*[\\/]/, '')}-scree.png`;
  const list = reportBlocks(input, screeName);
  if (format === 'html')
    return [
      {
        name: `${base}.html`,
        content: htmlReport(list, analysisText(input.locale, 'reportTitle', { title: input.title }), input.locale),
        contentType: 'text/html; charset=utf-8',
      },
    ];
  const image = list.find((b): b is Extract<Block, { kind: 'image' }> => b.kind === 'image');
  return [
    { name: `${base}.md`, content: markdownReport(list), contentType: 'text/markdown; charset=utf-8' },
    ...(image ? [{ name: `${base}-scree.png`, content: image.png, contentType: 'image/png' }] : []),
  ];
}

/** The analysis as JSON (the fields README documents), with the statements and sort names it refers to. */
export function analysisJson(
  result: AnalysisResult,
  extra: { title?: string; statements: string[]; placed?: number[]; quotes?: QuoteSelection },
): string {
  const json = {
    title: extra.title ?? null,
    statements: extra.statements,
    placed: extra.placed ?? null,
    ...result,
    quotes: extra.quotes?.byFactor ?? null,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
