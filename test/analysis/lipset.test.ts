import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyse, type AnalysisOptions, type AnalysisResult } from '../../src/analysis/analyse.js';
import { parseDat, parseSta } from '../../src/analysis/dat.js';
import * as ref from './fixtures/lipsetReference.js';
import { aligned, matchFactors, maxAbsDifference } from './helpers.js';
import { at } from '../support/defined.js';

/*
 * The Lipset study (Brown 1980), read from its PQMethod .DAT, against the R package qmethod's results: eigenvalues,
 * loadings, flags, z-scores and factor arrays within 0.01, up to the order and sign of the factors. Where each
 * reference number comes from, and why they were computed by running qmethod's own R code rather than copied from a
 * publication, is written at the top of fixtures/lipsetReference.ts.
 */

const FIXTURES = join(process.cwd(), 'test', 'analysis', 'fixtures');
const dat = parseDat(readFileSync(join(FIXTURES, 'lipset.DAT'), 'latin1'), 'lipset.DAT');
const statements = parseSta(readFileSync(join(FIXTURES, 'lipset.STA'), 'latin1'), dat.nStatements, 'lipset.STA');
const TOLERANCE = 0.01;

interface Reference {
  loadings: number[][];
  flagged: (number | null)[];
  zScores: number[][];
  factorArrays: number[][];
  characteristics: number[][];
  distAndCons: string[];
}

function compare(result: AnalysisResult, expected: Reference): void {
  const match = matchFactors(result.loadings, expected.loadings);
  expect(match.maxDifference).toBeLessThan(TOLERANCE);
  // Flags: the same sorts on the same (matched) factors.
  const flags = result.flagged.map((f) => (f === null ? null : match.perm.indexOf(f)));
  expect(flags).toEqual(expected.flagged);
  expect(maxAbsDifference(aligned(result.zScores, match), expected.zScores)).toBeLessThan(TOLERANCE);
  // Factor arrays: exactly the same values (mirrored where a factor's sign is flipped; the distribution is symmetric).
  expect(aligned(result.factorArrays, match)).toEqual(expected.factorArrays);
  // Characteristics (qfcharact): defining sorts, sum of squared loadings, explained variance, reliability, SE.
  match.perm.forEach((p, f) => {
    const c = at(result.factors, p);
    const row = at(expected.characteristics, f);
    expect(c.definingSorts).toBe(at(row, 0));
    expect(Math.abs(c.sumOfSquaredLoadings - at(row, 1))).toBeLessThan(TOLERANCE);
    expect(Math.abs(c.explainedVariance - at(row, 2))).toBeLessThan(TOLERANCE);
    expect(Math.abs(c.compositeReliability - at(row, 3))).toBeLessThan(TOLERANCE);
    expect(Math.abs((c.standardError as number) - at(row, 4))).toBeLessThan(TOLERANCE);
  });
}

function run(options: AnalysisOptions): AnalysisResult {
  return analyse(dat.sorts, statements, { sortNames: dat.sortNames, parallel: { iterations: 200 }, ...options });
}

describe('the Lipset study against qmethod', () => {
  test('the .DAT holds the 9 sorts of 33 statements of the study, in a forced -4..+4 distribution', () => {
    expect(dat.sortNames).toEqual(['US1', 'US2', 'US3', 'US4', 'JP5', 'CA6', 'UK7', 'US8', 'FR9']);
    expect(dat.columnCounts).toEqual([2, 3, 4, 5, 5, 5, 4, 3, 2]);
    expect(statements[0]).toBe('We accept improvements in status and power of lower class');
  });

  test('all unrotated eigenvalues (eigen(cor(lipset)))', () => {
    const result = run({ factors: 3 });
    expect(result.eigenvalues).toHaveLength(9);
    result.eigenvalues.forEach((v, i) => expect(Math.abs(v - at(ref.eigenvalues, i))).toBeLessThan(TOLERANCE));
    expect(result.explainedVariance.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 6);
  });

  test('3 factors, principal components, varimax: qmethod(lipset[[1]], nfactors = 3)', () => {
    const result = run({ factors: 3 });
    compare(result, ref.pca3varimax);
    // Distinguishing and consensus statements as qdc classifies them (factors in qmethod's order here).
    const match = matchFactors(result.loadings, ref.pca3varimax.loadings);
    expect(match.perm).toEqual([0, 1, 2]);
    expect(result.qdc.map((q) => q.category)).toEqual(ref.pca3varimax.distAndCons);
    expect(result.consensus.map((c) => c.statement + 1)).toEqual([14, 20]);
  });

  test('2 factors, principal components, varimax', () => {
    const result = run({ factors: 2 });
    compare(result, ref.pca2varimax);
    expect(result.qdc.map((q) => q.category)).toEqual(ref.pca2varimax.distAndCons);
  });

  test('3 factors, principal components, no rotation (psych::principal(rotate = "none"))', () => {
    compare(run({ factors: 3, rotation: 'none' }), ref.pca3none);
  });

  test('3 factors, centroid extraction, varimax (qmethod(..., extraction = "centroid"))', () => {
    const result = run({ factors: 3, extraction: 'centroid' });
    compare(result, ref.centroid3varimax);
    expect(result.qdc.map((q) => q.category)).toEqual(ref.centroid3varimax.distAndCons);
  });

  test('the suggested number of factors, three criteria side by side', () => {
    const result = run({});
    expect(result.suggestion.kaiser).toBe(4); // eigenvalues 2.38, 2.02, 1.34, 1.13 are above 1
    // Humphrey: the two highest unrotated loadings' product against 2/sqrt(33) = 0.348.
    expect(result.suggestion.humphrey).toBeGreaterThanOrEqual(1);
    expect(result.suggestion.parallel?.retained).toBe(result.suggestion.suggested);
    expect(result.nFactors).toBe(result.suggestion.suggested);
  });
});
