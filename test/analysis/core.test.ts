import { analyse } from '../../src/analysis/analyse.js';
import { correlationMatrix, pearson, standardize } from '../../src/analysis/correlate.js';
import { distinguish, significance } from '../../src/analysis/distinguishing.js';
import { AnalysisError } from '../../src/analysis/errors.js';
import {
  centroid,
  CENTROID_MAX_SORTS,
  fromRows,
  permuteColumns,
  principalComponents,
  toRows,
} from '../../src/analysis/extract.js';
import { applyOverrides, autoFlags } from '../../src/analysis/flag.js';
import { warningText } from '../../src/analysis/messages.js';
import { humphrey, kaiser, quantile } from '../../src/analysis/nfactors.js';
import { normal, seededRandom } from '../../src/analysis/random.js';
import { characteristics } from '../../src/analysis/reliability.js';
import { factorArray, sd, zScores } from '../../src/analysis/scores.js';
import { quasiNormal, syntheticSorts } from '../../src/analysis/synthetic.js';
import { varimax } from '../../src/analysis/varimax.js';
import { matchFactors } from './helpers.js';
import { at, cell } from '../support/defined.js';

const labels = (n: number) => Array.from({ length: n }, (_, i) => `S${i + 1}`);
const DIST9 = [-2, -1, -1, 0, 0, 0, 1, 1, 2];

describe('correlation', () => {
  test('Pearson r by hand: a sort with itself, its mirror, and a shifted and scaled copy', () => {
    const a = [1, 2, 3, 4, 5];
    expect(pearson(a, a)).toBeCloseTo(1, 12);
    expect(
      pearson(
        a,
        a.map((v) => -v),
      ),
    ).toBeCloseTo(-1, 12);
    expect(
      pearson(
        a,
        a.map((v) => 3 * v + 7),
      ),
    ).toBeCloseTo(1, 12);
    // (1,2,3) vs (1,3,2): deviations (-1,0,1) and (-1,1,0): r = 1 / 2.
    expect(pearson([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 12);
  });

  test('a constant sort (no variance) is rejected with a message naming it', () => {
    const sorts = [
      [-1, 0, 1, 0],
      [0, 0, 0, 0],
      [1, 0, -1, 0],
    ];
    expect(() => standardize(sorts, ['R1', 'R2', 'R3'])).toThrow(AnalysisError);
    expect(() => standardize(sorts, ['R1', 'R2', 'R3'])).toThrow(
      /sort "R2" \(number 2\) gives every statement the same value \(0\)/,
    );
    expect(() => analyse(sorts, labels(4), { sortNames: ['R1', 'R2', 'R3'] })).toThrow(/"R2".*without variance/);
  });
});

describe('two identical sorts', () => {
  const sort = [-2, -1, -1, 0, 0, 0, 1, 1, 2];
  const result = analyse([sort, [...sort]], labels(9), { parallel: { iterations: 200, seed: 3 } });

  test('correlate perfectly: one component with eigenvalue 2 (100% of the variance), loadings 1', () => {
    expect(result.eigenvalues[0]).toBeCloseTo(2, 10);
    expect(result.eigenvalues[1]).toBeCloseTo(0, 10);
    expect(result.explainedVariance[0]).toBeCloseTo(100, 8);
    expect(result.nFactors).toBe(1);
    expect(result.loadings.map((row) => row[0])).toEqual([expect.closeTo(1, 10), expect.closeTo(1, 10)]);
  });

  test('both define the factor; its z-scores are the sort standardised and its array is the sort', () => {
    expect(result.flagged).toEqual([0, 0]);
    const mean = sort.reduce((a, b) => a + b, 0) / sort.length;
    const s = sd(sort);
    result.zScores.forEach((row, i) => expect(row[0]).toBeCloseTo((at(sort, i) - mean) / s, 8));
    expect(result.factorArrays.map((row) => row[0])).toEqual(sort);
    expect(at(result.factors, 0).compositeReliability).toBeCloseTo((0.8 * 2) / (1 + 0.8), 12);
    expect(result.warnings).toEqual([]);
  });
});

describe('two orthogonal viewpoints plus noise (seeded)', () => {
  // Two viewpoints over 24 statements that are exactly orthogonal (and centred): +-1 patterns.
  const n = 24;
  const v1 = Array.from({ length: n }, (_, i) => (i < n / 2 ? 1 : -1));
  const v2 = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -1));
  const sorts = syntheticSorts({
    viewpoints: [v1, v2],
    perViewpoint: [6, 6],
    distribution: quasiNormal(n),
    noise: 0.6,
    seed: 11,
  });
  const result = analyse(sorts, labels(n), { parallel: { iterations: 300, seed: 5 } });

  test('the suggestion finds two factors', () => {
    expect(result.suggestion.parallel?.retained).toBe(2);
    expect(result.nFactors).toBe(2);
  });

  test('each group of six sorts defines its own factor, and the factor scores follow its viewpoint', () => {
    const first = result.flagged[0];
    expect(first).not.toBeNull();
    expect(result.flagged.slice(0, 6)).toEqual(new Array(6).fill(first));
    const second = 1 - (first as number);
    expect(result.flagged.slice(6)).toEqual(new Array(6).fill(second));
    const z1 = result.zScores.map((row) => row[first as number] as number);
    const z2 = result.zScores.map((row) => row[second] as number);
    expect(Math.abs(pearson(z1, v1))).toBeGreaterThan(0.9);
    expect(Math.abs(pearson(z2, v2))).toBeGreaterThan(0.9);
    expect(Math.abs(pearson(z1, v2))).toBeLessThan(0.3);
    expect(result.factors.map((f) => f.definingSorts)).toEqual([6, 6]);
  });
});

describe('varimax', () => {
  // A near-simple structure (small cross-loadings), and the same matrix turned by 20, 30 and 40 degrees.
  const simple: [number, number][] = [
    [0.8, 0.1],
    [0.7, 0],
    [0.75, 0.2],
    [0.1, 0.9],
    [0, 0.6],
    [0.2, 0.7],
  ];
  const turn = (rows: [number, number][], degrees: number) => {
    const a = (degrees * Math.PI) / 180;
    return rows.map(([x, y]) => [x * Math.cos(a) + y * Math.sin(a), -x * Math.sin(a) + y * Math.cos(a)]);
  };
  /** The varimax criterion of Kaiser-normalised loadings: the summed variance of the squared loadings per factor. */
  const criterion = (rows: number[][]) => {
    const norm = rows.map((r) => {
      const h = Math.hypot(...r);
      return r.map((a) => a / h);
    });
    return [0, 1].reduce((sum, f) => {
      const sq = norm.map((r) => at(r, f) ** 2);
      const mean = sq.reduce((a, b) => a + b, 0) / sq.length;
      return sum + sq.reduce((a, b) => a + (b - mean) ** 2, 0) / sq.length;
    }, 0);
  };

  test('a turned matrix is turned back to the same solution, whatever the angle, with a higher varimax criterion', () => {
    const solutions = [20, 30, 40].map((deg) => toRows(varimax(fromRows(turn(simple, deg))).loadings));
    for (const solution of solutions) {
      expect(matchFactors(solution, at(solutions, 0)).maxDifference).toBeLessThan(0.01); // R stops at eps = 1e-5 of the criterion, not of the loadings
      expect(criterion(solution)).toBeGreaterThan(criterion(turn(simple, 30)));
      // Close to the structure it came from (varimax's optimum moves the small cross-loadings a little).
      expect(matchFactors(solution, simple).maxDifference).toBeLessThan(0.01);
    }
  });

  test("the same numbers as R 4.2.2's stats::varimax (run here) for the matrix turned by 30 degrees", () => {
    // R: varimax(simple %*% matrix(c(cos(a), sin(a), -sin(a), cos(a)), 2)) with a = 30 degrees.
    const fromR = [
      [0.799656, 0.102716],
      [0.699996, 0.002377],
      [0.749316, 0.202546],
      [0.096943, 0.900334],
      [-0.002038, 0.599997],
      [0.197622, 0.700675],
    ];
    const ours = toRows(varimax(fromRows(turn(simple, 30))).loadings);
    ours.forEach((row, j) => row.forEach((v, f) => expect(v).toBeCloseTo(cell(fromR, j, f), 5)));
  });

  test('stops where R stops: rows on exactly two orthogonal directions are a fixed point of the algorithm', () => {
    // In R, varimax() of this perfect two-direction structure turned by 35 degrees returns it unchanged (rotmat = I),
    // though turning it back would score higher: the SVD iteration of stats::varimax stalls on such data.
    const perfect = turn(
      [
        [0.8, 0],
        [0.7, 0],
        [0.75, 0],
        [0, 0.9],
        [0, 0.6],
        [0, 0.7],
      ],
      35,
    );
    const { loadings, rotmat } = varimax(fromRows(perfect));
    expect(matchFactors(toRows(loadings), perfect).maxDifference).toBeLessThan(1e-9);
    expect(Math.abs(cell(rotmat, 0, 0))).toBeCloseTo(1, 9);
    expect(cell(rotmat, 0, 0) * cell(rotmat, 1, 1) - cell(rotmat, 0, 1) * cell(rotmat, 1, 0)).toBeCloseTo(1, 9);
  });

  test('one factor is returned as it is (as stats::varimax)', () => {
    const one = fromRows([[0.5], [0.7]]);
    expect(toRows(varimax(one).loadings)).toEqual([[0.5], [0.7]]);
  });

  test("Kaiser normalisation keeps each sort's communality", () => {
    const rows = [
      [0.6, 0.3, 0.1],
      [0.2, 0.7, -0.2],
      [0.1, 0.2, 0.8],
      [0.5, 0.5, 0.1],
      [-0.3, 0.4, 0.4],
    ];
    const out = toRows(varimax(fromRows(rows)).loadings);
    rows.forEach((row, j) =>
      expect(at(out, j).reduce((s, a) => s + a * a, 0)).toBeCloseTo(
        row.reduce((s, a) => s + a * a, 0),
        10,
      ),
    );
  });
});

describe('invariance under the sign and order of factors', () => {
  const random = seededRandom(21);
  const n = 20;
  const viewpoints = [0, 1, 2].map(() => Array.from({ length: n }, () => normal(random)));
  const sorts = syntheticSorts({
    viewpoints,
    perViewpoint: [4, 4, 4],
    distribution: quasiNormal(n),
    noise: 0.7,
    seed: 22,
  });
  const base = analyse(sorts, labels(n), { factors: 3, parallel: { iterations: 0 } });
  const loadings = fromRows(base.loadings);

  test('permuting and mirroring the factors permutes and mirrors flags, z-scores and characteristics, nothing else', () => {
    const order = [2, 0, 1];
    const signs = [-1, 1, -1];
    const permuted = permuteColumns(loadings, order);
    for (let j = 0; j < permuted.sorts; j++)
      for (let f = 0; f < 3; f++) permuted.a[j * 3 + f] = at(permuted.a, j * 3 + f) * at(signs, f);
    const flags = autoFlags(permuted, n);
    expect(flags).toEqual(base.flagged.map((f) => (f === null ? null : order.indexOf(f))));
    const z = zScores(sorts, permuted, flags);
    z.forEach((row, i) =>
      row.forEach((v, f) =>
        expect(v as number).toBeCloseTo(at(signs, f) * (cell(base.zScores, i, at(order, f)) as number), 10),
      ),
    );
    const chars = characteristics(permuted, flags, z);
    chars.forEach((c, f) => {
      expect(c.definingSorts).toBe(at(base.factors, at(order, f)).definingSorts);
      expect(c.sumOfSquaredLoadings).toBeCloseTo(at(base.factors, at(order, f)).sumOfSquaredLoadings, 10);
    });
  });

  test('mirroring a sort mirrors its loadings and leaves the rest of the solution alone', () => {
    const mirrored = sorts.map((s, j) => (j === 5 ? s.map((v) => -v) : s));
    const other = analyse(mirrored, labels(n), { factors: 3, parallel: { iterations: 0 } });
    other.eigenvalues.forEach((v, i) => expect(v).toBeCloseTo(at(base.eigenvalues, i), 10));
    const expected = base.loadings.map((row, j) => (j === 5 ? row.map((a) => -a) : row));
    expect(matchFactors(other.loadings, expected).maxDifference).toBeLessThan(1e-8);
  });

  test('the order of the sorts does not matter', () => {
    const order = sorts.map((_, j) => j).reverse();
    const other = analyse(
      order.map((j) => at(sorts, j)),
      labels(n),
      { factors: 3, parallel: { iterations: 0 } },
    );
    const expected = order.map((j) => at(base.loadings, j));
    const match = matchFactors(other.loadings, expected);
    expect(match.maxDifference).toBeLessThan(1e-8);
    expect(other.flagged.map((f) => (f === null ? null : match.perm.indexOf(f)))).toEqual(
      order.map((j) => base.flagged[j]),
    );
  });
});

describe('principal components without the N x N matrix', () => {
  test('equal the eigen decomposition of the full correlation matrix (more sorts than statements)', () => {
    const random = seededRandom(9);
    const sorts = Array.from({ length: 30 }, () => Array.from({ length: 8 }, () => Math.round(normal(random) * 2)));
    const std = standardize(sorts);
    const { eigenvalues, loadings } = principalComponents(std, 3);
    expect(eigenvalues).toHaveLength(8);
    // Every non-zero eigenvalue of R, and trace(R) = N.
    expect(eigenvalues.reduce((a, b) => a + b, 0)).toBeCloseTo(30, 8);
    // R v = λ v for each loading vector v (= sqrt(λ) e).
    const r = correlationMatrix(std);
    for (let f = 0; f < 3; f++) {
      const v = toRows(loadings).map((row) => at(row, f));
      for (let a = 0; a < 30; a++) {
        let rv = 0;
        for (let b = 0; b < 30; b++) rv += at(r, a * 30 + b) * at(v, b);
        expect(rv).toBeCloseTo(at(eigenvalues, f) * at(v, a), 8);
      }
    }
  });
});

describe('centroid', () => {
  test("two identical sorts give a first centroid factor of loadings 1 (Brown's method by hand)", () => {
    const sort = [-1, 0, 1, 2, -2];
    const l = toRows(centroid(standardize([sort, sort]), 1));
    expect(cell(l, 0, 0)).toBeCloseTo(1, 6);
    expect(cell(l, 1, 0)).toBeCloseTo(1, 6);
  });

  test('refuses more sorts than it is made for, and says what to use instead', () => {
    const sorts = Array.from({ length: CENTROID_MAX_SORTS + 1 }, (_, j) => [j % 3, 1, 2, 0]);
    expect(() => centroid(standardize(sorts), 2)).toThrow(/limited to 1000 sorts; use principal components/);
  });
});

describe('flags', () => {
  test("qflag's two tests: significant at p < .05 and more than half the common variance", () => {
    const threshold = 1.96 / Math.sqrt(25); // 0.392
    const l = fromRows([
      [0.8, 0.1], // flagged on F1
      [0.5, 0.45], // a^2 = .25 < h^2 - a^2 = .2025? no: .25 > .2025 -> flagged on F1
      [0.3, 0.1], // below the threshold
      [0.5, 0.5], // a tie: half, not more than half
      [-0.7, 0.2], // negative, flagged
    ]);
    expect(threshold).toBeCloseTo(0.392, 3);
    expect(autoFlags(l, 25)).toEqual([0, 0, null, null, 0]);
  });

  test("the researcher's overrides replace the automatic flags and are checked", () => {
    expect(applyOverrides([0, null, 1], { 1: 1, 0: null }, 2)).toEqual([null, 1, 1]);
    expect(() => applyOverrides([0, 1], { 2: 0 }, 2)).toThrow(/sort 2/);
    expect(() => applyOverrides([0, 1], { 0: 5 }, 2)).toThrow(/factor 5/);
  });
});

describe('scores', () => {
  test('the weighted average of the flagged sorts, weight a / (1 - a^2), standardised', () => {
    const sorts = [
      [1, 0, -1],
      [1, -1, 0],
      [-1, 1, 0],
    ];
    const l = fromRows([[0.6], [0.8], [0.1]]);
    const z = zScores(sorts, l, [0, 0, null]);
    const w1 = 0.6 / (1 - 0.36),
      w2 = 0.8 / (1 - 0.64);
    const sums = [w1 + w2, -w2, -w1];
    const mean = (at(sums, 0) + at(sums, 1) + at(sums, 2)) / 3;
    const s = sd(sums);
    z.forEach((row, i) => expect(row[0]).toBeCloseTo((at(sums, i) - mean) / s, 12));
  });

  test('a factor without flagged sorts has no scores', () => {
    expect(
      zScores(
        [
          [1, 0, -1],
          [0, 1, -1],
        ],
        fromRows([
          [0.9, 0.1],
          [0.8, 0.2],
        ]),
        [0, 0],
      ).map((r) => r[1]),
    ).toEqual([null, null, null]);
  });

  test('factor arrays: by rank into the distribution; ties as qmethod (truncated average rank, lowest value)', () => {
    expect(factorArray([0.3, -1.2, 2, 0.1, -0.5, 0.9, -2, 1.5, 0], DIST9)).toEqual([0, -1, 2, 0, -1, 1, -2, 1, 0]);
    // Two statements tied at ranks 4 and 5 (average 4.5 -> index 4 -> value 0).
    expect(factorArray([-3, -2, -1, 0.5, 0.5, 1, 2, 3, 4], DIST9)).toEqual([-2, -1, -1, 0, 0, 0, 1, 1, 2]);
    // Tied at ranks 2 and 3: average 2.5 -> truncated to 2 -> value -1 for both.
    expect(factorArray([-3, -1, -1, 0, 0.5, 1, 2, 3, 4], DIST9)).toEqual([-2, -1, -1, 0, 0, 0, 1, 1, 2]);
    // Tied at ranks 1 and 2: average 1.5 -> 1 -> value -2 for both (the array then leaves out a -1).
    expect(factorArray([-3, -3, -1, 0, 0.5, 1, 2, 3, 4], DIST9)).toEqual([-2, -2, -1, 0, 0, 0, 1, 1, 2]);
  });
});

describe('distinguishing and consensus statements', () => {
  test('significance against the standard error of differences', () => {
    expect(significance(0.5, 0.3)).toBe('');
    expect(significance(0.6, 0.3)).toBe('*'); // 0.6 > 0.588
    expect(significance(-0.8, 0.3)).toBe('**'); // 0.8 > 0.7728
    expect(significance(1.0, 0.3)).toBe('***');
    expect(significance(1.5, 0.3)).toBe('6*');
  });

  test("qdc's categories with three factors", () => {
    const sed = [
      [0, 0.3, 0.3],
      [0.3, 0, 0.3],
      [0.3, 0.3, 0],
    ];
    const z = [
      [0, 0.1, 0.2], // consensus
      [1.5, 0, 0.1], // f1 differs from both, f2-f3 not: distinguishes f1 only
      [2, 0, -2], // all differ
      [1, 0.5, 0], // only f1-f3 differs: no category
      [1, 0, 0.7], // f1-f2 and f2-f3 differ, f1-f3 not: distinguishes f2 only (at p < .05: f2-f3 is *)
    ];
    const { qdc, consensus, distinguishing } = distinguish(z, sed);
    expect(qdc.map((q) => q.category)).toEqual([
      'Consensus',
      'Distinguishes f1 only',
      'Distinguishes all',
      '',
      'Distinguishes f2 only',
    ]);
    expect(consensus.map((c) => c.statement)).toEqual([0]);
    expect(distinguishing.map((d) => [d.statement, d.factor, d.level])).toEqual([
      [1, 0, 0.01],
      [2, 0, 0.01],
      [2, 1, 0.01],
      [2, 2, 0.01],
      [4, 1, 0.05],
    ]);
  });
});

describe('the number of factors', () => {
  test('Kaiser, Humphrey and a quantile by hand', () => {
    expect(kaiser([2.5, 1.2, 1, 0.3])).toBe(2);
    // Two highest loadings 0.6 x 0.5 = 0.30 against 2/sqrt(36) = 0.333: the second factor fails.
    const l = fromRows([
      [0.8, 0.6],
      [0.7, 0.5],
      [0.1, 0.2],
    ]);
    expect(humphrey(l, 36)).toBe(1);
    expect(quantile([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8, 12);
  });

  test('too many factors for the sorts: an error; too few sorts per factor: a warning', () => {
    const sorts = syntheticSorts({
      viewpoints: [
        [1, 2, 3, 4, 5, 6],
        [6, 1, 5, 2, 4, 3],
      ],
      perViewpoint: [2, 1],
      distribution: [-1, -1, 0, 0, 1, 1],
      noise: 0.5,
      seed: 4,
    });
    expect(() => analyse(sorts, labels(6), { factors: 4 })).toThrow(/at most 3 factors/);
    const result = analyse(sorts, labels(6), { factors: 2, parallel: { iterations: 0 } });
    expect(result.warnings.join('\n')).toMatch(/Too few sorts for 2 factors/);
  });

  test("warnings are kept as kinds, worded in the report's language", () => {
    expect(warningText({ kind: 'negativeFlag', sort: 'R4', factor: 1 }, 'nl')).toBe(
      'Sortering R4 is gevlagd op F2 met een negatieve lading: die sortering definieert het spiegelbeeld van dat gezichtspunt. Controleer de vlaggen.',
    );
    expect(warningText({ kind: 'tooFewSorts', sorts: 3, factors: 2 }, 'en')).toMatch(
      /^Too few sorts for 2 factors: 3 sorts/,
    );
  });

  test('a factor with fewer than two defining sorts is named in the warnings', () => {
    const sorts = syntheticSorts({
      viewpoints: [
        [1, 2, 3, 4, 5, 6, 7, 8],
        [8, 1, 7, 2, 6, 3, 5, 4],
      ],
      perViewpoint: [4, 1],
      distribution: [-2, -1, -1, 0, 0, 1, 1, 2],
      noise: 0.3,
      seed: 8,
    });
    const result = analyse(sorts, labels(8), { factors: 2, parallel: { iterations: 0 } });
    const single = result.factors.find((f) => f.definingSorts < 2);
    expect(single).toBeDefined();
    expect(result.warnings.join('\n')).toMatch(
      new RegExp(`F${(single?.index ?? 0) + 1} has (only 1 defining sort|no defining sorts)`),
    );
  });
});
