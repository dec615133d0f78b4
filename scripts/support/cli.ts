import type { z } from 'zod';

/** What a command reads and writes: its environment and two line printers (tests pass their own). */
export interface Io {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
}

export const processIo: Io = { env: process.env, out: console.log, err: console.error };

/**
 * "--name value" and "--name=value" pairs, and `switches` (names that take no value: "--name" alone, read as
 * "true"); anything else is reported, not guessed at. A last option without its value is left out and named.
 */
type Pairs = { values: Record<string, string>; noValue?: string };

function pairs(argv: string[], switches: readonly string[]): Pairs | string {
  const values: Record<string, string> = {};
  const rest = [...argv];
  for (let arg = rest.shift(); arg !== undefined; arg = rest.shift()) {
    const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(arg);
    if (!m) return `unexpected argument ${JSON.stringify(arg)}`;
    const [, name = '', inline] = m;
    const value = inline ?? (switches.includes(name) ? 'true' : rest.shift());
    if (value === undefined) return { values, noValue: name };
    if (name in values) return `--${name} is given twice`;
    values[name] = value;
  }
  return { values };
}

function messageOf(error: z.ZodError): string {
  const messages = error.issues.map((i) =>
    i.code === 'unrecognized_keys' ? `unknown option ${i.keys.map((k) => `--${k}`).join(', ')}` : i.message,
  );
  return messages.join('\n');
}

/** A command's arguments, validated by its zod schema; the message names the wrong or unknown option. */
export function parseCliArgs<S extends z.ZodType>(
  schema: S,
  argv: string[],
  switches: readonly string[] = [],
): { ok: true; args: z.output<S> } | { ok: false; message: string } {
  const raw = pairs(argv, switches);
  if (typeof raw === 'string') return { ok: false, message: raw };
  const { values, noValue } = raw;
  if (noValue !== undefined) {
    // An unknown option is the better message than a missing value.
    const unknown = schema
      .safeParse({ ...values, [noValue]: '' })
      .error?.issues.some((i) => i.code === 'unrecognized_keys' && i.keys.includes(noValue));
    return { ok: false, message: unknown ? `unknown option --${noValue}` : `--${noValue} needs a value` };
  }
  const parsed = schema.safeParse(values);
  return parsed.success ? { ok: true, args: parsed.data } : { ok: false, message: messageOf(parsed.error) };
}

/** `--help` prints the usage (exit 0); bad arguments print the problem and the usage (exit 2); else the arguments. */
export function argsOrExit<S extends z.ZodType>(
  schema: S,
  argv: string[],
  usage: string,
  io: Io,
  switches: readonly string[] = [],
): { args: z.output<S> } | { exit: number } {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(usage);
    return { exit: 0 };
  }
  const parsed = parseCliArgs(schema, argv, switches);
  if (!parsed.ok) {
    io.err(`${parsed.message}\n\n${usage}`);
    return { exit: 2 };
  }
  return { args: parsed.args };
}
