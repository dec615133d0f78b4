import type { Locale } from '../interview/types.js';
import type { AnalysisResult, FactorInfo } from './analyse.js';
import { factorLabel, num, signedColumn, analysisText, warningText, type AnalysisTextKey } from './messages.js';
import type { QuoteSelection } from './quotes.js';
import { screePng, screeSvg } from './scree.js';
import { formatAmsterdam } from '../time.js';
import { defined } from '../defined.js';

/*
 * The researcher's report as a list of format-free blocks, one section after the other: warnings, the number of
 * factors, the scree plot and eigenvalues, the loadings with flags, the factor characteristics, per viewpoint its
 * factor array as a Q-sort board, its distinguishing statements and quotes, the consensus statements and all
 * z-scores. Viewpoints with fewer defining sorts than k are marked: they belong in this file only.
 */

export interface ReportInput {
  result: AnalysisResult;
  title: string;
  /** Statement texts, in statement order. */
  statements: string[];
  locale: Locale;
  /** Cards each sort placed, for an open distribution (the rest count as 0). */
  placed?: number[];
  /** The round's data: unpicked cards counted as 0. */
  openDistribution?: boolean;
  quotes?: QuoteSelection;
  /** ISO time of the analysis; default now. */
  generatedAt?: string;
  fontFiles?: string[];
}

export type Block =
  | { kind: 'h'; level: 1 | 2 | 3; text: string }
  | { kind: 'p'; text: string; small?: boolean }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; head: string[]; rows: string[][]; numeric?: boolean[] }
  | { kind: 'image'; alt: string; name: string; png: Buffer }
  | { kind: 'board'; columns: { value: number; cards: string[] }[] };

/** What every section reads: the input, its result and locale, the report's texts and the factors' names. */
interface Section {
  input: ReportInput;
  result: AnalysisResult;
  locale: Locale;
  say: (key: AnalysisTextKey, values?: Record<string, string | number>) => string;
  /** "F1", "F2", … for the extracted factors. */
  factors: string[];
}

const label = (statements: string[], i: number) => `${i + 1}. ${statements[i]}`;

function countsText(values: number[]): string {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([v, c]) => `${signedColumn(v)}: ${c}`)
    .join(', ');
}

const Z_SCORES = "a statement's z-scores";

/** A statement's column in a factor's array ("+2"), or "–" where the factor has no scores. */
function arrayColumn(r: AnalysisResult, statement: number, factor: number): string {
  const column = defined(defined(r.factorArrays[statement], 'factor arrays of a statement')[factor], 'array column');
  return column === null ? '–' : signedColumn(column);
}

/** A statement's z-score and array column on every factor: "1,23 (+2)". */
function zAndColumnCells(
  { result, locale, factors }: Section,
  statement: { statement: number; zScores: (number | null)[] },
) {
  return factors.map((_, g) => {
    const z = num(locale, defined(statement.zScores[g], Z_SCORES), 2);
    return `${z} (${arrayColumn(result, statement.statement, g)})`;
  });
}

/** The title, when it was made, and what the data are. */
function headerBlocks({ input, result: r, locale, say }: Section): Block[] {
  const at = input.generatedAt ?? new Date().toISOString();
  const generated = say('generated', { at: formatAmsterdam(at, "d MMMM yyyy', 'HH:mm", locale) });
  const data = say('data', {
    sorts: r.nSorts,
    statements: r.nStatements,
    extraction: say(r.extraction),
    rotation: say(r.rotation),
    factors: r.nFactors,
    source: say(r.factorSource === 'given' ? 'sourceGiven' : 'sourceSuggested'),
  });
  return [
    { kind: 'h', level: 1, text: say('reportTitle', { title: input.title }) },
    { kind: 'p', text: generated, small: true },
    ...(input.openDistribution ? [{ kind: 'p', text: say('researcherOnly'), small: true } as const] : []),
    { kind: 'p', text: data },
  ];
}

function warningBlocks({ result: r, locale, say }: Section): Block[] {
  if (!r.warningKinds.length) return [];
  return [
    { kind: 'h', level: 2, text: say('warnings') },
    { kind: 'list', items: r.warningKinds.map((w) => warningText(w, locale)) },
  ];
}

/** The distribution the sorts were read with: open (pooled), forced or given. */
function distributionBlocks({ input, result: r, say }: Section): Block[] {
  const counts = countsText(r.distribution.values);
  if (input.openDistribution || r.distribution.kind === 'pooled')
    return [
      { kind: 'h', level: 2, text: say('openTitle') },
      { kind: 'p', text: say('openNote', { statements: r.nStatements, counts }) },
    ];
  return [{ kind: 'p', text: say(r.distribution.kind === 'forced' ? 'forcedNote' : 'givenNote', { counts }) }];
}

/** How many factors the criteria suggest, the scree plot and the eigenvalues table. */
function factorCountBlocks(section: Section, screeName: string): Block[] {
  const { input, result: r, locale, say } = section;
  const s = r.suggestion;
  const howMany = say('howManyText', {
    kaiser: s.kaiser,
    humphrey: s.humphrey,
    parallel: s.parallel ? s.parallel.retained : say('parallelOff'),
    iterations: s.parallel?.iterations ?? 0,
    seed: s.parallel?.seed ?? '–',
    percentile: s.parallel?.percentile ?? 95,
    suggested: s.suggested,
    used: r.nFactors,
  });
  const svg = screeSvg(r.eigenvalues, { random: s.parallel?.randomEigenvalues, extracted: r.nFactors, locale });
  const rest = r.nSorts - r.eigenvalues.length;
  return [
    { kind: 'h', level: 2, text: say('howMany') },
    { kind: 'p', text: howMany },
    { kind: 'image', alt: say('screeAlt'), name: screeName, png: screePng(svg, input.fontFiles) },
    eigenvalueTable(section),
    ...(rest > 0
      ? [{ kind: 'p', text: say('zeroRest', { rest, rank: r.nStatements - 1 }), small: true } as const]
      : []),
  ];
}

function eigenvalueTable({ result: r, locale, say }: Section): Block {
  const parallel = r.suggestion.parallel;
  let cumulative = 0;
  return {
    kind: 'table',
    head: [
      say('component'),
      say('eigenvalue'),
      say('variance'),
      say('cumulative'),
      ...(parallel ? [say('randomEigenvalue')] : []),
    ],
    rows: r.eigenvalues.map((v, i) => {
      const variance = defined(r.explainedVariance[i], 'explained variance');
      cumulative += variance;
      return [
        String(i + 1),
        num(locale, v, 3),
        num(locale, variance, 1),
        num(locale, cumulative, 1),
        ...(parallel ? [num(locale, defined(parallel.randomEigenvalues[i], 'random eigenvalue'), 3)] : []),
      ];
    }),
    numeric: [true, true, true, true, true],
  };
}

/** The loadings of every sort, its flag (*) and communality, and the flags the researcher changed. */
function loadingBlocks({ input, result: r, locale, say, factors }: Section): Block[] {
  const overrides = r.flagged
    .map((f, j) => (f !== r.autoFlagged[j] ? `${r.sortNames[j]} → ${f === null ? '–' : factorLabel(f)}` : null))
    .filter((x): x is string => x !== null);
  const note = say('loadingsNote', {
    statements: r.nStatements,
    threshold: num(locale, 1.96 / Math.sqrt(r.nStatements), 3),
    overrides: overrides.length ? say('overridden', { list: overrides.join(', ') }) : '',
  }).trim();
  const placed = input.placed;
  return [
    { kind: 'h', level: 2, text: say('loadings') },
    { kind: 'p', text: note, small: true },
    {
      kind: 'table',
      head: [say('sort'), ...(placed ? [say('placed')] : []), ...factors, 'h²'],
      rows: r.loadings.map((row, j) => [
        defined(r.sortNames[j], 'sort name'),
        ...(placed ? [String(placed[j])] : []),
        ...row.map((a, f) => `${num(locale, a, 2)}${r.flagged[j] === f ? ' *' : ''}`),
        num(locale, defined(r.communalities[j], 'communality'), 2),
      ]),
      numeric: [false, ...(placed ? [true] : []), ...factors.map(() => true), true],
    },
  ];
}

function characteristicsBlocks({ result: r, locale, say }: Section): Block[] {
  return [
    { kind: 'h', level: 2, text: say('characteristics') },
    {
      kind: 'table',
      head: ['', say('definingSorts'), say('ssl'), say('explained'), say('reliability'), say('se'), ''],
      rows: r.factors.map((f) => [
        factorLabel(f.index),
        String(f.definingSorts),
        num(locale, f.sumOfSquaredLoadings, 2),
        num(locale, f.explainedVariance, 1),
        num(locale, f.compositeReliability, 2),
        num(locale, f.standardError, 2),
        f.belowK ? say('belowK', { k: r.k }) : '',
      ]),
      numeric: [false, true, true, true, true, true, false],
    },
  ];
}

/** A viewpoint: its defining sorts, its factor array as a board, its distinguishing statements and its quotes. */
function viewpointBlocks(section: Section, f: FactorInfo): Block[] {
  const { input, result: r, locale, say } = section;
  const heading =
    say('viewpoint', { factor: factorLabel(f.index) }) + (f.belowK ? ` (${say('belowK', { k: r.k })})` : '');
  const defining = r.sortNames.filter((_, j) => r.flagged[j] === f.index);
  const meta = say('viewpointMeta', {
    defining: f.definingSorts,
    names: defining.join(', ') || '–',
    explained: num(locale, f.explainedVariance, 1),
  });
  const head: Block[] = [
    { kind: 'h', level: 2, text: heading },
    { kind: 'p', text: meta },
  ];
  const array = r.factorArrays.map((row) => row[f.index]);
  if (array.some((v) => v === null)) return [...head, { kind: 'p', text: say('noScores') }];
  return [
    ...head,
    { kind: 'h', level: 3, text: say('board') },
    boardOf(section, f, array as number[]),
    ...distinguishingBlocks(section, f),
    ...(input.quotes ? quoteBlocks(section, f, input.quotes) : []),
  ];
}

/** The factor array as a Q-sort board: per column its statements, the highest z-score first. */
function boardOf({ input, result: r }: Section, f: FactorInfo, array: number[]): Block {
  const zOn = (statement: number) => defined(r.zScores[statement], Z_SCORES)[f.index] as number;
  const values = [...new Set(r.distribution.values)].sort((a, b) => a - b);
  const lo = Math.min(...values, ...array),
    hi = Math.max(...values, ...array);
  const columns = Array.from({ length: hi - lo + 1 }, (_, c) => lo + c).map((value) => ({
    value,
    cards: array
      .map((v, i) => (v === value ? i : -1))
      .filter((i) => i >= 0)
      .sort((a, b) => zOn(b) - zOn(a))
      .map((i) => label(input.statements, i)),
  }));
  return { kind: 'board', columns };
}

function distinguishingBlocks(section: Section, f: FactorInfo): Block[] {
  const { input, result: r, say, factors } = section;
  const heading: Block = { kind: 'h', level: 3, text: say('distinguishing') };
  const dist = r.distinguishing
    .filter((d) => d.factor === f.index)
    .sort((a, b) => (b.zScores[f.index] as number) - (a.zScores[f.index] as number));
  if (r.nFactors < 2) return [heading, { kind: 'p', text: say('oneFactor') }];
  if (!dist.length) return [heading, { kind: 'p', text: say('noneFound') }];
  return [
    heading,
    { kind: 'p', text: say('distinguishingNote'), small: true },
    {
      kind: 'table',
      head: [say('statement'), ...factors.map((name) => `${name} z (array)`), say('level')],
      rows: dist.map((d) => [
        label(input.statements, d.statement),
        ...zAndColumnCells(section, d),
        d.level === 0.01 ? '**' : '*',
      ]),
      numeric: [false, ...factors.map(() => true), false],
    },
  ];
}

function quoteBlocks({ input, say }: Section, f: FactorInfo, selection: QuoteSelection): Block[] {
  const quotes = selection.byFactor[f.index] ?? [];
  const quoteLine = (q: (typeof quotes)[number]) =>
    `${q.code}, ${label(input.statements, q.statement)} (${signedColumn(q.column)}): “${q.text}”`;
  return [
    { kind: 'h', level: 3, text: say('quotes') },
    { kind: 'p', text: say('quotesNote'), small: true },
    quotes.length ? { kind: 'list', items: quotes.map(quoteLine) } : { kind: 'p', text: say('noQuotes') },
  ];
}

function quotesOmittedBlocks({ input, say }: Section): Block[] {
  if (!input.quotes?.omitted) return [];
  return [{ kind: 'p', text: say('quotesOmitted', { count: input.quotes.omitted }), small: true }];
}

function consensusBlocks(section: Section): Block[] {
  const { input, result: r, say, factors } = section;
  const heading: Block = { kind: 'h', level: 2, text: say('consensus') };
  if (r.nFactors < 2) return [heading, { kind: 'p', text: say('oneFactor') }];
  if (!r.consensus.length) return [heading, { kind: 'p', text: say('noneFound') }];
  return [
    heading,
    { kind: 'p', text: say('consensusNote'), small: true },
    {
      kind: 'table',
      head: [say('statement'), ...factors.map((name) => `${name} z (array)`)],
      rows: r.consensus.map((c) => [label(input.statements, c.statement), ...zAndColumnCells(section, c)]),
      numeric: [false, ...factors.map(() => true)],
    },
  ];
}

/** Every statement's z-score and array column on every factor. */
function scoreBlocks({ input, result: r, locale, say, factors }: Section): Block[] {
  return [
    { kind: 'h', level: 2, text: say('scores') },
    {
      kind: 'table',
      head: [say('statement'), ...factors.flatMap((name) => [`${name} z`, `${name}`])],
      rows: r.zScores.map((row, i) => [
        label(input.statements, i),
        ...row.flatMap((z, f) => [num(locale, z, 2), arrayColumn(r, i, f)]),
      ]),
      numeric: [false, ...factors.flatMap(() => [true, true])],
    },
  ];
}

/** The report's blocks, section by section; the scree plot's image is named `screeName`. */
export function reportBlocks(input: ReportInput, screeName: string): Block[] {
  const { result, locale } = input;
  const section: Section = {
    input,
    result,
    locale,
    say: (key, values) => analysisText(locale, key, values),
    factors: Array.from({ length: result.nFactors }, (_, f) => factorLabel(f)),
  };
  return [
    ...headerBlocks(section),
    ...warningBlocks(section),
    ...distributionBlocks(section),
    ...factorCountBlocks(section, screeName),
    ...loadingBlocks(section),
    ...characteristicsBlocks(section),
    ...result.factors.flatMap((f) => viewpointBlocks(section, f)),
    ...quotesOmittedBlocks(section),
    ...consensusBlocks(section),
    ...scoreBlocks(section),
  ];
}
