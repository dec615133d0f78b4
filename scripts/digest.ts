import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { collectDigest } from '../src/digest/collect.js';
import { digestChart, fontsRender } from '../src/digest/heatmap.js';
import { digestHtml } from '../src/digest/html.js';
import { digestMarkdown } from '../src/digest/markdown.js';
import { argsOrExit, parseCliArgs, processIo, type Io } from './support/cli.js';
import { roundOption, withRound } from './support/roundCommand.js';
import { loadDotEnv } from '../src/config/dotenv.js';

const USAGE = [
  'usage: npm run digest -- [--round ID] --format html|md --out PATH [--lang nl|en]',
  "  --round   the round's id (default: the most recently opened round)",
  '  --format  html: one standalone page with the chart (prints to PDF); md: Markdown, with the chart' +
    " as PATH's .png beside it",
  '  --out     the file to write (its folder is created if missing)',
  "  --lang    nl or en (default: the round's digest language)",
].join('\n');

export const DIGEST_FORMATS = ['html', 'md'] as const;

const Args = z
  .object({
    round: roundOption,
    format: z.enum(DIGEST_FORMATS, {
      error: (i) =>
        i.input === undefined
          ? '--format is required: html or md'
          : `--format must be html or md (got ${JSON.stringify(i.input)})`,
    }),
    out: z.string({ error: '--out PATH is required' }).min(1, '--out PATH is required'),
    lang: z.enum(['nl', 'en'], { error: (i) => `--lang must be nl or en (got ${JSON.stringify(i.input)})` }).optional(),
  })
  .strict();
type Args = z.infer<typeof Args>;

export function parseArgs(argv: string[]): ReturnType<typeof parseCliArgs<typeof Args>> {
  return parseCliArgs(Args, argv);
}

/** Returns the exit code: 0 written, 1 failed, 2 bad arguments. */
export async function main(argv: string[], io: Io = processIo, now = new Date()): Promise<number> {
  const got = argsOrExit(Args, argv, USAGE, io);
  if ('exit' in got) return got.exit;
  const { args } = got;
  return withRound(io, 'digest', args.round, async ({ stores, content, round }) => {
    const digest = await collectDigest({ stores, content, round, locale: args.lang, now });
    if (digest.details && !fontsRender())
      io.err('warning: no font found for the chart (install fonts-dejavu-core): its text will be missing');
    const chart = digest.details ? digestChart(digest.details, digest.locale) : null;
    await mkdir(dirname(resolve(args.out)), { recursive: true });
    io.out(
      `Round "${round.id}" (${digest.round.name}), ${digest.response.completed} completed, format ${args.format}:`,
    );
    if (args.format === 'html') {
      await writeFile(args.out, digestHtml(digest, { chartPng: chart ?? undefined }));
    } else {
      let chartPath: string | undefined;
      if (chart) {
        const png = join(dirname(args.out), `${basename(args.out, extname(args.out))}.png`);
        await writeFile(png, chart);
        chartPath = basename(png);
        io.out(`  wrote ${png}`);
      }
      await writeFile(args.out, digestMarkdown(digest, { chartPath }));
    }
    io.out(`  wrote ${args.out}`);
    if (!digest.details)
      io.out(
        `Note: no details (new details follow at ${digest.gate.nextAt} completed interviews, k = ${digest.k}): ` +
          'the digest gives the response only.',
      );
    return 0;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  loadDotEnv();
  process.exitCode = await main(process.argv.slice(2));
}
