import { meanDistribution } from '../export/distribution.js';
import { standardize } from './correlate.js';
import { distinguish, type Consensus, type Distinguishing, type StatementComparison } from './distinguishing.js';
import { AnalysisError } from './errors.js';
import { centroid, orderAndSign, principalComponents, signColumns, toRows, type Loadings } from './extract.js';
import { applyOverrides, autoFlags, type FlagOverrides } from './flag.js';
import { warningText, type AnalysisWarning } from './messages.js';
import { suggestFactors, type FactorSuggestion, type ParallelOptions } from './nfactors.js';
import { characteristics, differenceErrors, factorCorrelations } from './reliability.js';
import { factorArray, zScores } from './scores.js';
import { varimax } from './varimax.js';
import { cell } from './cell.js';
import { defined } from '../defined.js';

/*
 * The whole Q factor analysis of a set of sorts, following the documented procedure of the R package qmethod
 * (Zabala 2014; Brown 1980; Watts and Stenner 2012): Pearson correlations between sorts; principal components (as
 * psych::principal) or Brown's centroid; varimax with Kaiser normalisation (as stats::varimax); automatic flags
 * (qflag) with the researcher's overrides; weighted z-scores and factor arrays (qzscores); composite reliability and
 * standard errors (qfcharact); distinguishing and consensus statements (qdc). The number of factors is suggested
 * (nfactors.ts) unless given.
 */

export type Extraction = 'pca' | 'centroid';
export type Rotation = 'varimax' | 'none';

export interface AnalysisOptions {
  /** The number of factors; default: the suggestion (nfactors.ts). */
  factors?: number;
  extraction?: Extraction;
  rotation?: Rotation;
  /**
   * The distribution the factor arrays are laid into: one value per statement (any order). Default: the sorts' own
   * distribution when every sort follows the same one (forced), else the pooled column counts of the sorts (see
   * pooledDistribution), as for Wijzer's open distribution.
   */
  distribution?: number[];
  /** The scale's columns, for the pooled counts (default: the lowest and highest value in the sorts, and 0). */
  scale?: { min: number; max: number };
  sortNames?: string[];
  /** Researcher's flags: sort index → factor index or null. */
  flags?: FlagOverrides;
  parallel?: ParallelOptions;
  /** The privacy threshold: viewpoints with fewer defining sorts are marked (belowK) and left out of Teams and digests. */
  k?: number;
}

export interface FactorInfo {
  /** 0-based; shown as F1, F2, ... */
  index: number;
  definingSorts: number;
  sumOfSquaredLoadings: number;
  explainedVariance: number;
  compositeReliability: number;
  standardError: number | null;
  /** Fewer defining sorts than k: only for the researcher's own file. */
  belowK: boolean;
}

export interface AnalysisResult {
  nSorts: number;
  nStatements: number;
  sortNames: string[];
  extraction: Extraction;
  rotation: Rotation;
  nFactors: number;
  factorSource: 'given' | 'suggested';
  suggestion: FactorSuggestion;
  /** Every non-zero eigenvalue of the correlation matrix (unrotated principal components), descending: min(nSorts, nStatements) values; the rest are 0. */
  eigenvalues: number[];
  /** 100 x eigenvalue / nSorts, for each of eigenvalues. */
  explainedVariance: number[];
  /** The loadings before rotation (for centroid extraction: the centroid factors). */
  unrotatedLoadings: number[][];
  /** After rotation: one row per sort in input order, one column per factor. */
  loadings: number[][];
  /** h^2 of each sort over the extracted factors. */
  communalities: number[];
  /** One entry per sort: the index of the factor it defines, or null. */
  flagged: (number | null)[];
  /** The automatic flags before the researcher's overrides. */
  autoFlagged: (number | null)[];
  /** One row per statement in input order, one column per factor; null for a factor without defining sorts. */
  zScores: (number | null)[][];
  /** Same shape: the statements laid into the distribution by z-score. */
  factorArrays: (number | null)[][];
  distribution: { kind: 'forced' | 'pooled' | 'given'; values: number[] };
  factors: FactorInfo[];
  compositeReliability: number[];
  standardErrors: (number | null)[];
  standardErrorsOfDifferences: (number | null)[][];
  factorCorrelations: (number | null)[][];
  distinguishing: Distinguishing[];
  consensus: Consensus[];
  qdc: StatementComparison[];
  k: number;
  /** What the researcher should look at, in English (the report words them in its own language from warningKinds). */
  warnings: string[];
  warningKinds: AnalysisWarning[];
}

/** The round's pooled column counts (unpicked cards at 0) as a distribution of values: the .DAT export's convention. */
export function pooledDistribution(sorts: number[][], scale?: { min: number; max: number }): number[] {
  let lo = 0,
    hi = 0;
  for (const sort of sorts)
    for (const v of sort) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  const min = scale?.min ?? lo;
  const max = scale?.max ?? hi;
  const counts = meanDistribution(sorts, min, max, defined(sorts[0], FIRST_SORT).length);
  return counts.flatMap((count, i) => new Array<number>(count).fill(min + i));
}

/** The sorts are checked to be at least two, of equal length, before anything reads them. */
const FIRST_SORT = 'first sort';
const Z_SCORE = 'z-score of a statement';

function isForced(sorts: number[][]): boolean {
  const first = [...defined(sorts[0], FIRST_SORT)].sort((a, b) => a - b).join();
  return sorts.every((s) => [...s].sort((a, b) => a - b).join() === first);
}

function rotate(l: Loadings, rotation: Rotation): Loadings {
  return rotation === 'varimax' ? varimax(l).loadings : l;
}

export function analyse(sorts: number[][], statements: string[], options: AnalysisOptions = {}): AnalysisResult {
  const extraction = options.extraction ?? 'pca';
  const rotation = options.rotation ?? 'varimax';
  const k = options.k ?? 1;
  const N = sorts.length;
  if (N < 2) throw new AnalysisError(`a factor analysis needs at least 2 sorts (found ${N})`);
  const n = defined(sorts[0], FIRST_SORT).length;
  if (statements.length !== n)
    throw new AnalysisError(`there are ${statements.length} statements, but the sorts have ${n} values`);
  const sortNames = options.sortNames ?? sorts.map((_, j) => String(j + 1));
  if (sortNames.length !== N) throw new AnalysisError(`there are ${sortNames.length} sort names for ${N} sorts`);
  const std = standardize(sorts, sortNames);
  const warningKinds: AnalysisWarning[] = [];

  // Eigenvalues and candidate components for the suggestion.
  const maxFactors = Math.min(N, n - 1);
  const candidates = Math.min(maxFactors, 8);
  const all = principalComponents(std, candidates);
  const eigenvalues = all.eigenvalues;
  const suggestion = suggestFactors(sorts, eigenvalues, signColumns(all.loadings), n, options.parallel);

  const nFactors = options.factors ?? Math.min(suggestion.suggested, maxFactors);
  if (!Number.isInteger(nFactors) || nFactors < 1)
    throw new AnalysisError(`the number of factors must be a whole number from 1 (got ${nFactors})`);
  if (nFactors > maxFactors)
    throw new AnalysisError(`${N} sorts of ${n} statements allow at most ${maxFactors} factors (asked: ${nFactors})`);
  if (N < 2 * nFactors) warningKinds.push({ kind: 'tooFewSorts', sorts: N, factors: nFactors });

  // Extraction (psych::principal's sign convention), rotation, and psych's order and sign after it.
  const unrotated = extraction === 'pca' ? signColumns(firstColumns(all.loadings, nFactors)) : centroid(std, nFactors);
  // psych::principal orders and signs the components after rotation; qmethod's centroid path leaves them as they come.
  const rotated = extraction === 'pca' ? orderAndSign(rotate(unrotated, rotation)) : rotate(unrotated, rotation);

  const autoFlagged = autoFlags(rotated, n);
  const flagged = applyOverrides(autoFlagged, options.flags, nFactors);
  flagged.forEach((f, j) => {
    if (f !== null && cell(rotated.a, j * nFactors + f) < 0)
      warningKinds.push({ kind: 'negativeFlag', sort: defined(sortNames[j], 'sort name'), factor: f });
  });

  const z = zScores(sorts, rotated, flagged);
  const forced = isForced(sorts);
  const distribution = options.distribution
    ? { kind: 'given' as const, values: [...options.distribution].sort((a, b) => a - b) }
    : forced
      ? { kind: 'forced' as const, values: [...defined(sorts[0], FIRST_SORT)].sort((a, b) => a - b) }
      : { kind: 'pooled' as const, values: pooledDistribution(sorts, options.scale) };
  if (distribution.values.length !== n)
    throw new AnalysisError(`the distribution has ${distribution.values.length} values, but there are ${n} statements`);
  const arrays = Array.from({ length: nFactors }, (_, f) =>
    factorArray(
      z.map((row) => defined(row[f], Z_SCORE)),
      distribution.values,
    ),
  );
  const factorArrays = z.map((_, i) => arrays.map((column) => defined(column[i], 'factor array value')));

  const chars = characteristics(rotated, flagged, z);
  const sed = differenceErrors(chars);
  const factors: FactorInfo[] = chars.map((c, f) => ({ index: f, ...c, belowK: c.definingSorts < k }));
  for (const f of factors) {
    if (f.definingSorts === 0) warningKinds.push({ kind: 'noDefiningSorts', factor: f.index });
    else if (f.definingSorts < 2) warningKinds.push({ kind: 'oneDefiningSort', factor: f.index });
  }
  const { qdc, distinguishing, consensus } = distinguish(z, sed);
  const loadings = toRows(rotated);

  return {
    nSorts: N,
    nStatements: n,
    sortNames,
    extraction,
    rotation,
    nFactors,
    factorSource: options.factors === undefined ? 'suggested' : 'given',
    suggestion,
    eigenvalues,
    explainedVariance: eigenvalues.map((v) => (100 * v) / N),
    unrotatedLoadings: toRows(unrotated),
    loadings,
    communalities: loadings.map((row) => row.reduce((s, a) => s + a * a, 0)),
    flagged,
    autoFlagged,
    zScores: z,
    factorArrays,
    distribution,
    factors,
    compositeReliability: chars.map((c) => c.compositeReliability),
    standardErrors: chars.map((c) => c.standardError),
    standardErrorsOfDifferences: sed,
    factorCorrelations: factorCorrelations(z, nFactors),
    distinguishing,
    consensus,
    qdc,
    k,
    warnings: warningKinds.map((w) => warningText(w, 'en')),
    warningKinds,
  };
}

function firstColumns(l: Loadings, k: number): Loadings {
  const a = new Float64Array(l.sorts * k);
  for (let j = 0; j < l.sorts; j++) for (let f = 0; f < k; f++) a[j * k + f] = cell(l.a, j * l.k + f);
  return { sorts: l.sorts, k, a };
}
