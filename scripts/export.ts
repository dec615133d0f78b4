import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { EXPORT_FORMATS, exportStreams } from '../src/research/export/index.js';
import { argsOrExit, parseCliArgs, processIo, type Io } from './support/cli.js';
import { withRound } from './support/roundCommand.js';

const USAGE = `usage: npm run export -- [--round ID] --format csv|json|pqmethod [--delimiter ';'] --out FOLDER
  --round      the round's id (default: the most recently opened round)
  --format     csv: background, sorts and answers files; json: one file; pqmethod: .DAT and .STA
  --delimiter  CSV only: "," (default) or ";" (Dutch Excel)
  --out        the folder to write to (created if missing)`;

const Args = z.object({
  round: z.string().regex(/^[a-z][a-zA-Z0-9-]*$/, { error: (i) => `--round must be a round id such as "default" (got ${JSON.stringify(i.input)})` }).optional(),
  format: z.enum(EXPORT_FORMATS, { error: (i) => (i.input === undefined ? '--format is required: csv, json or pqmethod' : `--format must be csv, json or pqmethod (got ${JSON.stringify(i.input)})`) }),
  delimiter: z.enum([',', ';'], { error: (i) => `--delimiter must be "," or ";" (got ${JSON.stringify(i.input)})` }).optional(),
  out: z.string({ error: '--out FOLDER is required' }).min(1, '--out FOLDER is required'),
}).strict().refine((a) => a.delimiter === undefined || a.format === 'csv', { message: '--delimiter applies to --format csv only' });
type Args = z.infer<typeof Args>;

export function parseArgs(argv: string[]): ReturnType<typeof parseCliArgs<typeof Args>> {
  return parseCliArgs(Args, argv);
}

/** Returns the exit code: 0 done, 1 the export failed, 2 bad arguments. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const got = argsOrExit(Args, argv, USAGE, io);
  if ('exit' in got) return got.exit;
  const { args } = got;
  return withRound(io, 'export', args.round, async ({ stores, content, round }) => {
    const files = await exportStreams({ stores, content, roundId: round.id, format: args.format, delimiter: args.delimiter });
    // Research data stays pseudonymous personal data: readable by the researcher's account only.
    await mkdir(args.out, { recursive: true, mode: 0o700 });
    io.out(`Round "${round.id}" (${round.name.nl}), format ${args.format}:`);
    for (const file of files) {
      const path = join(args.out, file.name);
      // Written as it is read from the store; a file cut short by a bad record is not left behind.
      await writeFile(path, file.chunks(), { mode: 0o600 }).catch(async (err: unknown) => {
        await rm(path, { force: true });
        throw err;
      });
      io.out(`  wrote ${path}`);
    }
    if (round.status !== 'closed') io.out(`Note: round "${round.id}" is ${round.status}; the R numbers can change when more interviews are completed.`);
    return 0;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
