import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { contentJsonSchemas, schemaText } from '../src/content/jsonSchemas.js';
import { argsOrExit, processIo, type Io } from './support/cli.js';

const USAGE = `usage: npm run schemas [-- --out DIR]
Writes the JSON Schemas of dialogs/ and cards/ (generated from src/content/schema.ts) for editors.
  --out  the folder to write to (default: schemas)`;

const Args = z.object({ out: z.string().min(1, '--out needs a folder').default('schemas') }).strict();

/** Returns the exit code: 0 written, 2 bad arguments. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const got = argsOrExit(Args, argv, USAGE, io);
  if ('exit' in got) return got.exit;
  await mkdir(got.args.out, { recursive: true });
  for (const { file, schema } of contentJsonSchemas()) {
    const path = join(got.args.out, file);
    await writeFile(path, schemaText(schema));
    io.out(`wrote ${path}`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
