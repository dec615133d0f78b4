import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { EXPORT_FORMATS, exportTo, type Sink } from '../src/export/index.js';
import { argsOrExit, parseCliArgs, processIo, type Io } from './support/cli.js';
import { roundOption, withRound } from './support/roundCommand.js';
import { loadDotEnv } from '../src/config/dotenv.js';

const USAGE = `usage: npm run export -- [--round ID] --format csv|json|pqmethod [--locale nl|en] [--delimiter ';'] --out FOLDER
  --round      the round's id (default: the most recently opened round)
  --format     csv: background, sorts and answers files; json: one file; pqmethod: .DAT and .STA
  --locale     CSV only: column names in Dutch or English, with <round>-codebook.csv mapping them to the stable ids
               (default: the stable ids as column names)
  --delimiter  CSV only: "," or ";" (Dutch Excel); default ";" with --locale nl, else ","
  --out        the folder to write to (created if missing)`;

const Args = z
  .object({
    round: roundOption,
    format: z.enum(EXPORT_FORMATS, {
      error: (i) =>
        i.input === undefined
          ? '--format is required: csv, json or pqmethod'
          : `--format must be csv, json or pqmethod (got ${JSON.stringify(i.input)})`,
    }),
    delimiter: z
      .enum([',', ';'], { error: (i) => `--delimiter must be "," or ";" (got ${JSON.stringify(i.input)})` })
      .optional(),
    locale: z
      .enum(['nl', 'en'], { error: (i) => `--locale must be nl or en (got ${JSON.stringify(i.input)})` })
      .optional(),
    out: z.string({ error: '--out FOLDER is required' }).min(1, '--out FOLDER is required'),
  })
  .strict()
  .refine((a) => a.delimiter === undefined || a.format === 'csv', {
    message: '--delimiter applies to --format csv only',
  })
  .refine((a) => a.locale === undefined || a.format === 'csv', { message: '--locale applies to --format csv only' });
type Args = z.infer<typeof Args>;

export function parseArgs(argv: string[]): ReturnType<typeof parseCliArgs<typeof Args>> {
  return parseCliArgs(Args, argv);
}

/** A file (0600) written with back-pressure: write resolves once the chunk is written (the writer reuses it). */
function fileSink(path: string): Sink {
  const stream = createWriteStream(path, { mode: 0o600 });
  return {
    write: (chunk) =>
      new Promise<void>((resolve, reject) => stream.write(chunk, (err) => (err ? reject(err) : resolve()))),
    end: async () => {
      stream.end();
      await finished(stream);
    },
  };
}

/** Returns the exit code: 0 done, 1 the export failed, 2 bad arguments. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const got = argsOrExit(Args, argv, USAGE, io);
  if ('exit' in got) return got.exit;
  const { args } = got;
  return withRound(io, 'export', args.round, async ({ stores, content, round }) => {
    const delimiter = args.delimiter ?? (args.locale === 'nl' ? ';' : ',');
    // Research data stays pseudonymous personal data: readable by the researcher's account only.
    await mkdir(args.out, { recursive: true, mode: 0o700 });
    const written: string[] = [];
    const open = (name: string): Sink => {
      const path = join(args.out, name);
      written.push(path);
      return fileSink(path);
    };
    // Written as it is read from the store; files cut short by a bad record are not left behind.
    const names = await exportTo(
      { stores, content, roundId: round.id, format: args.format, delimiter, locale: args.locale },
      open,
    ).catch(async (err: unknown) => {
      await Promise.all(written.map((path) => rm(path, { force: true })));
      throw err;
    });
    io.out(`Round "${round.id}" (${round.name.nl}), format ${args.format}:`);
    for (const name of names) io.out(`  wrote ${join(args.out, name)}`);
    if (round.status !== 'closed')
      io.out(
        `Note: round "${round.id}" is ${round.status}; the R numbers can change when more interviews are completed.`,
      );
    return 0;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  loadDotEnv();
  process.exitCode = await main(process.argv.slice(2));
}
