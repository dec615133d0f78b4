import { AnalysisError } from './errors.js';
import { at, type Loadings } from './extract.js';

/**
 * Automatic flagging as qmethod's qflag (Brown 1980): sort j defines factor f when its loading is significant at
 * p < .05, |a| > 1.96 / sqrt(number of statements), and carries more than half of the sort's common variance,
 * a^2 > h^2 - a^2. The second test can hold for one factor at most, so each sort gets a factor index or null.
 * As in qmethod, a negative loading can be flagged (the sort then defines the factor's mirror image; the report warns).
 */
export function autoFlags(l: Loadings, nStatements: number): (number | null)[] {
  const threshold = 1.96 / Math.sqrt(nStatements);
  return Array.from({ length: l.sorts }, (_, j) => {
    let h2 = 0;
    for (let f = 0; f < l.k; f++) h2 += at(l, j, f) ** 2;
    for (let f = 0; f < l.k; f++) {
      const a = at(l, j, f);
      if (a * a > h2 - a * a && Math.abs(a) > threshold) return f;
    }
    return null;
  });
}

/** A researcher's flags: sort index → factor index (0-based) or null (not flagged). */
export type FlagOverrides = Record<number, number | null>;

/** The automatic flags with the researcher's overrides applied; the overrides are checked against the solution. */
export function applyOverrides(
  flags: (number | null)[],
  overrides: FlagOverrides | undefined,
  k: number,
): (number | null)[] {
  const out = flags.slice();
  for (const [key, value] of Object.entries(overrides ?? {})) {
    const j = Number(key);
    if (!Number.isInteger(j) || j < 0 || j >= flags.length)
      throw new AnalysisError(`a flag override names sort ${key}, but there are sorts 0..${flags.length - 1}`);
    if (value !== null && (!Number.isInteger(value) || value < 0 || value >= k))
      throw new AnalysisError(`a flag override puts sort ${j} on factor ${value}, but there are factors 0..${k - 1}`);
    out[j] = value;
  }
  return out;
}
