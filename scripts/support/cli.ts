import type { z } from 'zod';

/** What a command reads and writes: its environment and two line printers (tests pass their own). */
export interface Io {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
}

export const processIo: Io = { env: process.env, out: console.log, err: console.error };

/** "--name value" and "--name=value" pairs; anything else is reported, not guessed at. */
function pairs(argv: string[]): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z]+)(?:=(.*))?$/s.exec(argv[i]);
    if (!m) return `unexpected argument ${JSON.stringify(argv[i])}`;
    const value = m[2] ?? argv[++i];
    if (value === undefined) return `--${m[1]} needs a value`;
    if (m[1] in out) return `--${m[1]} is given twice`;
    out[m[1]] = value;
  }
  return out;
}

/** A command's arguments, validated by its zod schema; the message names the wrong or unknown option. */
export function parseCliArgs<S extends z.ZodType>(schema: S, argv: string[]): { ok: true; args: z.output<S> } | { ok: false; message: string } {
  const raw = pairs(argv);
  if (typeof raw === 'string') return { ok: false, message: raw };
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, args: parsed.data };
  return { ok: false, message: parsed.error.issues.map((i) => (i.code === 'unrecognized_keys' ? `unknown option ${i.keys.map((k) => `--${k}`).join(', ')}` : i.message)).join('\n') };
}

/** `--help` prints the usage (exit 0); bad arguments print the problem and the usage (exit 2); else the arguments. */
export function argsOrExit<S extends z.ZodType>(schema: S, argv: string[], usage: string, io: Io): { args: z.output<S> } | { exit: number } {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(usage);
    return { exit: 0 };
  }
  const parsed = parseCliArgs(schema, argv);
  if (!parsed.ok) {
    io.err(`${parsed.message}\n\n${usage}`);
    return { exit: 2 };
  }
  return { args: parsed.args };
}
