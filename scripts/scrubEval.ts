import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { findIdentifiers, MARKERS, scrub, type Identifier, type IdentifierKind } from '../src/interview/scrub.js';
import { argsOrExit, processIo, type Io } from './support/cli.js';

const USAGE = `usage: npm run scrub-eval -- [--corpus PATH] [--json true]
  --corpus  the labelled corpus (default: test/fixtures/scrub-corpus.json)
  --json    true: print only the one JSON line with the figures`;

export const DEFAULT_CORPUS = 'test/fixtures/scrub-corpus.json';
const KINDS = Object.keys(MARKERS) as [IdentifierKind, ...IdentifierKind[]];

const Entry = z
  .object({
    lang: z.enum(['nl', 'en']),
    givenName: z.string().min(1).optional(),
    surname: z.string().min(1).optional(),
    text: z.string().min(1),
    /** Each occurrence of `text` in the entry must end up inside a marker; none: the entry must come back unchanged. */
    identifiers: z.array(z.object({ kind: z.enum(KINDS), text: z.string().min(1) }).strict()),
  })
  .strict()
  .refine((e) => e.identifiers.every((i) => e.text.includes(i.text)), {
    error: 'an identifier is not in the entry text',
  });
export const Corpus = z.object({ about: z.string(), entries: z.array(Entry).min(1) }).strict();
export type Corpus = z.infer<typeof Corpus>;
type Entry = z.infer<typeof Entry>;

export async function loadCorpus(path: string): Promise<Corpus> {
  return Corpus.parse(JSON.parse(await readFile(path, 'utf8')));
}

interface Count {
  found: number;
  total: number;
}
export interface Evaluation {
  /** Identifier occurrences entirely inside a marker, of all labelled occurrences; per kind and overall. */
  recall: Record<IdentifierKind | 'overall', Count & { recall: number }>;
  /** The same, counting only occurrences under the marker of their own kind. */
  typedRecall: number;
  /** Entries without identifiers that come back exactly unchanged, of all such entries. */
  ordinary: Count & { precision: number };
  /** Words (runs of non-space) the scrubber touched that are part of a labelled identifier, of all words it touched. */
  words: { touched: number; wrong: number; precision: number };
  misses: { text: string; identifier: string; kind: IdentifierKind }[];
  /** Words replaced that are not part of any labelled identifier. */
  overScrubbed: { text: string; word: string }[];
  falsePositives: { text: string; scrubbed: string }[];
}

const ratio = (c: Count): number => (c.total === 0 ? 1 : c.found / c.total);
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end;

function occurrences(text: string, needle: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1))
    out.push({ start: i, end: i + needle.length });
  return out;
}

const displayName = (e: Entry): string => [e.givenName, e.surname].filter(Boolean).join(' ');

/** The spans that cover every visible character of `at`, or null when one is left. */
function covering(found: Identifier[], text: string, at: { start: number; end: number }): Identifier[] | null {
  const used = new Set<Identifier>();
  for (let i = at.start; i < at.end; i++) {
    if (/\s|[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/u.test(text.charAt(i))) continue;
    const span = found.find((s) => s.start <= i && i < s.end);
    if (!span) return null;
    used.add(span);
  }
  return [...used];
}

export function evaluate(corpus: Corpus): Evaluation {
  const counts = Object.fromEntries([...KINDS, 'overall'].map((k) => [k, { found: 0, total: 0 }])) as Record<
    IdentifierKind | 'overall',
    Count
  >;
  let typed = 0;
  const ordinary = { found: 0, total: 0 };
  const words = { touched: 0, wrong: 0 };
  const misses: Evaluation['misses'] = [];
  const overScrubbed: Evaluation['overScrubbed'] = [];
  const falsePositives: Evaluation['falsePositives'] = [];
  for (const e of corpus.entries) {
    const name = displayName(e);
    const found = findIdentifiers(e.text, name);
    const gold = e.identifiers.flatMap((i) =>
      occurrences(e.text, i.text).map((at) => ({ ...at, kind: i.kind, text: i.text })),
    );
    for (const g of gold) {
      counts[g.kind].total++;
      counts.overall.total++;
      const cover = covering(found, e.text, g);
      if (!cover) {
        misses.push({ text: e.text, identifier: g.text, kind: g.kind });
        continue;
      }
      counts[g.kind].found++;
      counts.overall.found++;
      if (cover.every((s) => s.kind === g.kind)) typed++;
    }
    for (const w of e.text.matchAll(/\S+/g)) {
      const word = { start: w.index, end: w.index + w[0].length };
      if (!found.some((s) => overlaps(s, word))) continue;
      words.touched++;
      if (gold.some((g) => overlaps(g, word))) continue;
      words.wrong++;
      overScrubbed.push({ text: e.text, word: w[0] });
    }
    if (e.identifiers.length === 0) {
      ordinary.total++;
      const scrubbed = scrub(e.text, name);
      if (scrubbed === e.text) ordinary.found++;
      else falsePositives.push({ text: e.text, scrubbed });
    }
  }
  const recall = Object.fromEntries(
    Object.entries(counts).map(([k, c]) => [k, { ...c, recall: ratio(c) }]),
  ) as Evaluation['recall'];
  return {
    recall,
    typedRecall: ratio({ found: typed, total: counts.overall.total }),
    ordinary: { ...ordinary, precision: ratio(ordinary) },
    words: { ...words, precision: words.touched === 0 ? 1 : (words.touched - words.wrong) / words.touched },
    misses,
    overScrubbed,
    falsePositives,
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export function report(ev: Evaluation, entries: number): string[] {
  const lines = [
    `Scrubber on ${entries} labelled answers (${ev.recall.overall.total} identifiers, ${ev.ordinary.total} ordinary answers)`,
  ];
  lines.push('Recall (identifier entirely replaced by a marker):');
  for (const k of KINDS)
    lines.push(
      `  ${MARKERS[k].padEnd(11)} ${String(ev.recall[k].found).padStart(3)}/${String(ev.recall[k].total).padEnd(3)} ${pct(ev.recall[k].recall)}`,
    );
  lines.push(
    `  ${'overall'.padEnd(11)} ${String(ev.recall.overall.found).padStart(3)}/${String(ev.recall.overall.total).padEnd(3)} ${pct(ev.recall.overall.recall)}  (with the marker of its own kind: ${pct(ev.typedRecall)})`,
  );
  lines.push(
    `Precision on ordinary text (answer left exactly unchanged): ${ev.ordinary.found}/${ev.ordinary.total} ${pct(ev.ordinary.precision)}`,
  );
  lines.push(
    `Word precision (words replaced that belong to an identifier): ${ev.words.touched - ev.words.wrong}/${ev.words.touched} ${pct(ev.words.precision)}`,
  );
  for (const m of ev.misses)
    lines.push(`  missed ${m.kind}: ${JSON.stringify(m.identifier)} in ${JSON.stringify(m.text)}`);
  for (const o of ev.overScrubbed)
    lines.push(`  replaced outside an identifier: ${JSON.stringify(o.word)} in ${JSON.stringify(o.text)}`);
  for (const f of ev.falsePositives)
    lines.push(`  changed: ${JSON.stringify(f.text)} -> ${JSON.stringify(f.scrubbed)}`);
  return lines;
}

/** The figures as one JSON line, for a CI step or a later comparison. */
export function figures(ev: Evaluation): string {
  return JSON.stringify({
    recall: Object.fromEntries(Object.entries(ev.recall).map(([k, c]) => [k, Number(c.recall.toFixed(4))])),
    typedRecall: Number(ev.typedRecall.toFixed(4)),
    identifiers: ev.recall.overall.total,
    ordinaryPrecision: Number(ev.ordinary.precision.toFixed(4)),
    ordinary: ev.ordinary.total,
    wordPrecision: Number(ev.words.precision.toFixed(4)),
  });
}

const Args = z.object({ corpus: z.string().min(1).optional(), json: z.enum(['true', 'false']).optional() }).strict();

/** Returns the exit code: 0 measured, 1 the corpus could not be read, 2 bad arguments. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const got = argsOrExit(Args, argv, USAGE, io);
  if ('exit' in got) return got.exit;
  const path = got.args.corpus ?? DEFAULT_CORPUS;
  let corpus: Corpus;
  try {
    corpus = await loadCorpus(path);
  } catch (err) {
    io.err(
      `cannot read the corpus ${path}: ${err instanceof z.ZodError ? z.prettifyError(err) : (err as Error).message}`,
    );
    return 1;
  }
  const ev = evaluate(corpus);
  if (got.args.json !== 'true') for (const line of report(ev, corpus.entries.length)) io.out(line);
  io.out(figures(ev));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
