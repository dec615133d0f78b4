import { at, type Loadings } from './extract.js';
import { sd } from './scores.js';
import { defined } from '../defined.js';

/** qmethod's default average reliability coefficient of a Q sort (Brown 1980: 244). */
export const AVERAGE_RELIABILITY = 0.8;

export interface FactorCharacteristics {
  /** Flagged (defining) sorts. */
  definingSorts: number;
  /** Sum of squared loadings of the factor (after rotation): qmethod's "eigenvals". */
  sumOfSquaredLoadings: number;
  /** 100 x that / number of sorts: qmethod's "expl_var". */
  explainedVariance: number;
  /** Composite reliability 0.8 p / (1 + (p - 1) 0.8), p defining sorts (Brown 1980: 244). */
  compositeReliability: number;
  /** Standard error of the factor scores: sd(z) sqrt(1 - reliability); null without defining sorts. */
  standardError: number | null;
}

/** As qmethod's qfcharact. */
export function characteristics(
  loadings: Loadings,
  flags: (number | null)[],
  z: (number | null)[][],
): FactorCharacteristics[] {
  return Array.from({ length: loadings.k }, (_, f) => {
    let ss = 0;
    for (let j = 0; j < loadings.sorts; j++) ss += at(loadings, j, f) ** 2;
    const p = flags.filter((flag) => flag === f).length;
    const reliability = (AVERAGE_RELIABILITY * p) / (1 + (p - 1) * AVERAGE_RELIABILITY);
    const column = z.map((row) => defined(row[f], 'z-score of a statement'));
    const standardError = column.every((v) => v !== null) && p > 0 ? sd(column) * Math.sqrt(1 - reliability) : null;
    return {
      definingSorts: p,
      sumOfSquaredLoadings: ss,
      explainedVariance: (100 * ss) / loadings.sorts,
      compositeReliability: reliability,
      standardError,
    };
  });
}

/** Standard errors of differences: sqrt(SE_f^2 + SE_g^2) (null where a factor has no scores). */
export function differenceErrors(chars: FactorCharacteristics[]): (number | null)[][] {
  return chars.map((a) =>
    chars.map((b) =>
      a.standardError === null || b.standardError === null
        ? null
        : Math.sqrt(a.standardError ** 2 + b.standardError ** 2),
    ),
  );
}

/** Pearson correlations between the factors' z-scores (qmethod's cor_zsc); null where a factor has no scores. */
export function factorCorrelations(z: (number | null)[][], k: number): (number | null)[][] {
  const columns = Array.from({ length: k }, (_, f) => z.map((row) => row[f]));
  return columns.map((a) =>
    columns.map((b) => {
      if (a.some((v) => v === null) || b.some((v) => v === null)) return null;
      const x = a as number[];
      const y = b as number[];
      const mx = x.reduce((s, v) => s + v, 0) / x.length;
      const my = y.reduce((s, v) => s + v, 0) / y.length;
      let sxy = 0,
        sxx = 0,
        syy = 0;
      for (let i = 0; i < x.length; i++) {
        const dx = defined(x[i], 'z-score') - mx;
        const dy = defined(y[i], 'z-score') - my;
        sxy += dx * dy;
        sxx += dx ** 2;
        syy += dy ** 2;
      }
      return sxy / Math.sqrt(sxx * syy);
    }),
  );
}
