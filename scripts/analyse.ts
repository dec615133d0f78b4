import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { readConfig } from '../src/config/env.js';
import { loadContent } from '../src/content/load.js';
import { analyse, type AnalysisResult } from '../src/analysis/analyse.js';
import { parseDat, parseSta } from '../src/analysis/dat.js';
import type { FlagOverrides } from '../src/analysis/flag.js';
import { analyseRound } from '../src/analysis/pipeline.js';
import { analysisJson, reportFiles, type ReportFile } from '../src/analysis/report.js';
import type { Locale } from '../src/interview/types.js';
import { openStores } from '../src/storage/open.js';
import type { Stores } from '../src/ports/stores.js';
import { argsOrExit, parseCliArgs, processIo, type Io } from './support/cli.js';
import { roundOption } from './support/roundCommand.js';
import { loadDotEnv } from '../src/config/dotenv.js';
import { defined } from '../src/defined.js';

/** Where main() reads its environment and writes its lines (as scripts/export.ts). */
const USAGE = `usage: npm run analyse -- [--round ID | --dat FILE] [--sta FILE] [--factors N] [--extraction pca|centroid]
                          [--rotation varimax|none] [--format md|html|json] [--out PATH] [--locale nl|en]
                          [--flags SORT=F,...]
  --round       a round's id (default: the most recently opened round, as export and digest take): its completed
                sorts, read from the stores as the export reads them
  --dat         a PQMethod .DAT file; its statements come from --sta, else from the .STA beside it
  --factors     the number of factors (default: the suggestion of parallel analysis)
  --extraction  pca (principal components, default) or centroid (Brown; at most 1,000 sorts)
  --rotation    varimax (default, with Kaiser normalisation) or none
  --format      md (default; the scree plot as a PNG beside it), html (one file) or json
  --out         a file, or a folder to write <round|file>-analysis.<ext> into; without it the report goes to stdout
  --locale      the report's language (default: the round's digest language; English for a .DAT)
  --flags       the researcher's flags, e.g. R3=2,R7=none (factor numbers from 1; none removes a flag)`;

const whole = (name: string, max: number) =>
  z
    .string({ error: `--${name} needs a value` })
    .regex(/^\d+$/, { error: (i) => `--${name} must be a whole number (got ${JSON.stringify(i.input)})` })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, { error: `--${name} must be at least 1` })
        .max(max, { error: `--${name} must be at most ${max}` }),
    );

const Args = z
  .object({
    round: roundOption,
    dat: z.string().min(1, '--dat FILE needs a file').optional(),
    sta: z.string().min(1, '--sta FILE needs a file').optional(),
    factors: whole('factors', 50).optional(),
    extraction: z
      .enum(['pca', 'centroid'], {
        error: (i) => `--extraction must be pca or centroid (got ${JSON.stringify(i.input)})`,
      })
      .default('pca'),
    rotation: z
      .enum(['varimax', 'none'], {
        error: (i) => `--rotation must be varimax or none (got ${JSON.stringify(i.input)})`,
      })
      .default('varimax'),
    format: z
      .enum(['md', 'html', 'json'], {
        error: (i) => `--format must be md, html or json (got ${JSON.stringify(i.input)})`,
      })
      .default('md'),
    out: z.string().min(1, '--out PATH needs a path').optional(),
    locale: z
      .enum(['nl', 'en'], { error: (i) => `--locale must be nl or en (got ${JSON.stringify(i.input)})` })
      .optional(),
    flags: z
      .string()
      .regex(/^[^=,]+=(\d+|none)(,[^=,]+=(\d+|none))*$/, {
        error: (i) => `--flags must look like R3=2,R7=none (got ${JSON.stringify(i.input)})`,
      })
      .optional(),
  })
  .strict()
  .refine((a) => a.round === undefined || a.dat === undefined, { message: 'give --round ID or --dat FILE, not both' })
  .refine((a) => a.sta === undefined || a.dat !== undefined, { message: '--sta goes with --dat' });
export type AnalyseArgs = z.infer<typeof Args>;

export function parseArgs(argv: string[]): ReturnType<typeof parseCliArgs<typeof Args>> {
  return parseCliArgs(Args, argv);
}

/** --flags R3=2,R7=none against the sort names: sort index → factor index (0-based) or null. */
function flagOverrides(spec: string | undefined, names: string[]): FlagOverrides | undefined {
  if (!spec) return undefined;
  const out: FlagOverrides = {};
  for (const part of spec.split(',')) {
    const [name = '', factor] = part.split('=');
    const j = names.indexOf(name);
    if (j < 0)
      throw new Error(
        `--flags names sort "${name}", which is not among the sorts (${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''})`,
      );
    out[j] = factor === 'none' ? null : Number(factor) - 1;
  }
  return out;
}

/** The .STA beside a .DAT: same name, .STA or .sta. */
function staBeside(dat: string): string | undefined {
  const stem = join(dirname(dat), basename(dat, extname(dat)));
  return [`${stem}.STA`, `${stem}.sta`].find((p) => existsSync(p));
}

interface Output {
  base: string;
  files(format: 'md' | 'html' | 'json', base: string): ReportFile[];
  result: AnalysisResult;
  notes: string[];
}

async function fromDat(args: AnalyseArgs): Promise<Output> {
  const datPath = resolve(args.dat!);
  const dat = parseDat(await readFile(datPath, 'latin1'), basename(datPath));
  const staPath = args.sta ? resolve(args.sta) : staBeside(datPath);
  const notes: string[] = [];
  const statements = staPath
    ? parseSta(await readFile(staPath, 'latin1'), dat.nStatements, basename(staPath))
    : Array.from({ length: dat.nStatements }, (_, i) => `statement ${i + 1}`);
  if (!staPath) notes.push(`no .STA found beside ${basename(datPath)}: statements are numbered only`);
  const forced = dat.sorts.every(
    (s) =>
      [...s].sort((a, b) => a - b).join() === [...defined(dat.sorts[0], 'first sort')].sort((a, b) => a - b).join(),
  );
  // Not forced: the factor arrays follow the file's own distribution line (for Wijzer's export: the pooled counts).
  const distribution = forced
    ? undefined
    : dat.columnCounts.flatMap((c, i) => new Array<number>(c).fill(dat.scale.min + i));
  const result = analyse(dat.sorts, statements, {
    factors: args.factors,
    extraction: args.extraction,
    rotation: args.rotation,
    distribution,
    sortNames: dat.sortNames,
    scale: dat.scale,
    flags: flagOverrides(args.flags, dat.sortNames),
  });
  const locale: Locale = args.locale ?? 'en';
  const title = dat.title || basename(datPath);
  return {
    base: `${basename(datPath, extname(datPath))}-analysis`,
    result,
    notes,
    files: (format, base) =>
      format === 'json'
        ? [{ name: `${base}.json`, content: analysisJson(result, { title, statements }) }]
        : reportFiles({ result, title, statements, locale }, format, base),
  };
}

async function fromRound(args: AnalyseArgs, io: Io, stores: Stores): Promise<Output> {
  const config = readConfig(io.env);
  const content = loadContent(resolve(config.CONTENT_DIR));
  // Flags name R numbers: read the round once for its names, then analyse with the overrides.
  let analysis = await analyseRound(stores, content, args.round, {
    factors: args.factors,
    extraction: args.extraction,
    rotation: args.rotation,
    locale: args.locale,
  });
  const flags = flagOverrides(args.flags, analysis.data.sortNames);
  if (flags)
    analysis = await analyseRound(stores, content, args.round, {
      factors: args.factors ?? analysis.result.nFactors,
      extraction: args.extraction,
      rotation: args.rotation,
      locale: args.locale,
      flags,
    });
  const notes =
    analysis.data.round.status !== 'closed'
      ? [
          `round "${analysis.data.round.id}" is ${analysis.data.round.status}: the analysis can change as more interviews are completed`,
        ]
      : [];
  return {
    base: `${analysis.data.round.id}-analysis`,
    result: analysis.result,
    notes,
    files: (format, base) => analysis.files(format, base),
  };
}

/** Where the files go: --out as a folder (existing, or ending in a slash) gets <base>.<ext>; else --out is the file. */
function target(out: string, base: string, format: 'md' | 'html' | 'json'): string {
  const path = resolve(out);
  const folder = /[\\/]$/.test(out) || (existsSync(path) && statSync(path).isDirectory());
  if (folder) return join(path, base);
  return extname(path).toLowerCase() === `.${format}` ? path.slice(0, -(format.length + 1)) : path;
}

/** Returns the exit code: 0 done, 1 the analysis failed, 2 bad arguments. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const got = argsOrExit(Args, argv, USAGE, io);
  if ('exit' in got) return got.exit;
  const { args } = got;
  let stores: Stores | undefined;
  try {
    let output: Output;
    if (args.dat) output = await fromDat(args);
    else {
      // The one store opener of the bot and every command (scripts/export.ts uses it too): lowdb or PostgreSQL.
      stores = await openStores(readConfig(io.env), { command: 'npm run analyse', readOnly: true });
      output = await fromRound(args, io, stores);
    }
    for (const warning of output.result.warnings) io.err(`warning: ${warning}`);
    for (const note of output.notes) io.err(`note: ${note}`);
    if (!args.out) {
      const main = defined(output.files(args.format, output.base)[0], 'file of the report');
      io.out(typeof main.content === 'string' ? main.content : main.content.toString('utf8'));
      if (args.format === 'md') io.err('note: the scree plot (PNG) is written only with --out');
      return 0;
    }
    const base = target(args.out, output.base, args.format);
    const files = output.files(args.format, base);
    // The report names R numbers and quotes: readable by the researcher's account only, as the export's files.
    await mkdir(dirname(base), { recursive: true, mode: 0o700 });
    for (const file of files) {
      await writeFile(file.name, file.content, { mode: 0o600 });
      io.out(`wrote ${file.name}`);
    }
    io.out(
      `${output.result.nSorts} sorts, ${output.result.nFactors} factors (${output.result.factorSource}); defining sorts per factor: ${output.result.factors.map((f) => f.definingSorts).join(', ')}`,
    );
    return 0;
  } catch (err) {
    io.err(`analyse failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await stores?.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  loadDotEnv();
  process.exitCode = await main(process.argv.slice(2));
}
