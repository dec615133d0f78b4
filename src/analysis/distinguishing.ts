import { defined } from '../defined.js';
/*
 * Distinguishing and consensus statements, as qmethod's qdc: for each pair of factors f < g the difference of the
 * statement's z-scores is compared with the standard error of differences SED(f, g); it is significant at p < .05
 * when |difference| > 1.960 SED and at p < .01 when > 2.576 SED (qdc also marks 3.291 SED, p < .001, and
 * 4.8916 SED, p < .000001; Brown 1980: 245). A statement is
 *   - consensus when no difference is significant;
 *   - (two factors) "Distinguishing" when the difference is significant;
 *   - (more factors) "Distinguishes fi only" when every difference involving fi is significant and no other is,
 *     "Distinguishes all" when every difference is, and "Distinguishes fi fj ..." when every difference involving
 *     those factors is and some other but not all are; else no category ("").
 * Factors without defining sorts have no z-scores and take no part. Factor numbers in the category names are 1-based,
 * as in qmethod.
 */

export type Significance = '' | '*' | '**' | '***' | '6*';

const LEVELS: readonly [Significance, number][] = [
  ['6*', 4.8916],
  ['***', 3.291],
  ['**', 2.576],
  ['*', 1.96],
];

export function significance(difference: number, sed: number): Significance {
  for (const [mark, factor] of LEVELS) if (Math.abs(difference) > factor * sed) return mark;
  return '';
}

export interface PairDifference {
  /** 0-based factor indexes, f < g. */
  factors: [number, number];
  /** z_f - z_g. */
  difference: number;
  significance: Significance;
}

export interface StatementComparison {
  statement: number;
  category: string;
  pairs: PairDifference[];
}

export interface Distinguishing {
  statement: number;
  /** The factor it sets apart (0-based). */
  factor: number;
  /** p < .05 or p < .01: the weakest of its differences with every other factor. */
  level: 0.05 | 0.01;
  zScores: (number | null)[];
}

export interface Consensus {
  statement: number;
  zScores: (number | null)[];
}

export interface DistinctionResult {
  qdc: StatementComparison[];
  distinguishing: Distinguishing[];
  consensus: Consensus[];
}

export function distinguish(z: (number | null)[][], sed: (number | null)[][]): DistinctionResult {
  const k = z[0]?.length ?? 0;
  const valid = Array.from({ length: k }, (_, f) => z.every((row) => row[f] !== null))
    .map((ok, f) => (ok ? f : -1))
    .filter((f) => f >= 0);
  if (valid.length < 2) return { qdc: [], distinguishing: [], consensus: [] };
  const pairs: [number, number][] = [];
  valid.forEach((a, i) => valid.slice(i + 1).forEach((b) => pairs.push([a, b])));

  const qdc: StatementComparison[] = [];
  const distinguishing: Distinguishing[] = [];
  const consensus: Consensus[] = [];
  z.forEach((row, statement) => {
    const diffs = pairs.map(([f, g]) => {
      const difference = (row[f] as number) - (row[g] as number);
      return {
        factors: [f, g] as [number, number],
        difference,
        significance: significance(difference, defined(sed[f], 'standard errors of a factor')[g] as number),
      };
    });
    const sig = diffs.map((d) => d.significance !== '');
    let category: string;
    if (sig.every((s) => !s)) category = 'Consensus';
    else if (valid.length === 2) category = 'Distinguishing';
    else {
      category = '';
      for (const f of valid) {
        const inside = diffs.filter((d) => d.factors.includes(f));
        const outside = diffs.filter((d) => !d.factors.includes(f));
        const allIn = inside.every((d) => d.significance !== '');
        const someOut = outside.some((d) => d.significance !== '');
        if (allIn && !someOut) category = `Distinguishes f${f + 1} only`;
        else if (sig.every(Boolean)) category = 'Distinguishes all';
        else if (allIn && someOut) category = `${category}Distinguishes f${f + 1} `;
      }
      category = category.trimEnd();
    }
    qdc.push({ statement, category, pairs: diffs });
    if (category === 'Consensus') consensus.push({ statement, zScores: row });
    for (const f of valid) {
      const inside = diffs.filter((d) => d.factors.includes(f));
      if (inside.every((d) => d.significance !== '')) {
        const strong = inside.every((d) => d.significance !== '*');
        distinguishing.push({ statement, factor: f, level: strong ? 0.01 : 0.05, zScores: row });
      }
    }
  });
  return { qdc, distinguishing, consensus };
}
