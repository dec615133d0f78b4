import { mayNameSomeone } from '../interview/nameGuard.js';
import { scrub } from '../interview/scrub.js';
import type { AnalysisResult } from './analyse.js';
import type { QuoteCandidate } from './round.js';

export interface ViewpointQuote {
  factor: number;
  code: string;
  statement: number;
  column: number;
  question: string;
  text: string;
}

export interface QuoteSelection {
  /** One list per factor. */
  byFactor: ViewpointQuote[][];
  /** Left out because they may name someone. */
  omitted: number;
}

/** The statements in the highest and the lowest column of a factor's array (its extreme cards). */
export function extremeStatements(result: AnalysisResult, factor: number): Set<number> {
  const column = result.factorArrays.map((row) => row[factor]);
  const values = column.filter((v): v is number => v !== null);
  if (values.length === 0) return new Set();
  const hi = Math.max(...values);
  const lo = Math.min(...values);
  return new Set(column.map((v, i) => (v === hi || v === lo ? i : -1)).filter((i) => i >= 0));
}

/**
 * Quotes for each viewpoint: free-text follow-up answers of participants whose sort defines (is flagged on) that
 * viewpoint, who agreed to be quoted, on a card in one of the viewpoint's extreme columns. Each text is scrubbed
 * again (e-mail, phone, postcode, BSN); with `allowed` words (src/interview/nameGuard.ts), a text that may still name
 * someone is left out, as the digest does.
 */
export function selectQuotes(
  result: AnalysisResult,
  candidates: QuoteCandidate[],
  allowed?: Set<string>,
): QuoteSelection {
  let omitted = 0;
  const byFactor = Array.from({ length: result.nFactors }, (_, f) => {
    const extremes = extremeStatements(result, f);
    const out: ViewpointQuote[] = [];
    for (const c of candidates) {
      if (!c.mayQuote || result.flagged[c.sort] !== f || !extremes.has(c.statement)) continue;
      const text = scrub(c.text).replace(/\s+/g, ' ').trim();
      if (!text) continue;
      if (allowed && mayNameSomeone(text, allowed)) {
        omitted++;
        continue;
      }
      out.push({ factor: f, code: c.code, statement: c.statement, column: c.column, question: c.question, text });
    }
    return out;
  });
  return { byFactor, omitted };
}
