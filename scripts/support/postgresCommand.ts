import type { z } from 'zod';
import { readPostgresOptions, type PostgresOptions } from '../../src/storage/postgres/index.js';
import { argsOrExit, type Io } from './cli.js';

/** What a command on the two PostgreSQL databases needs to read its arguments and environment. */
export interface PostgresCommand<S extends z.ZodType> {
  schema: S;
  usage: string;
  /** Options that take no value. */
  switches?: readonly string[];
  /** Said (with the usage) when DATABASE_URL and KEY_DATABASE_URL are not set. */
  missing: string;
}

/** The arguments and the databases' options; or, with the problem printed, the exit code (0 for --help, else 2). */
export function postgresArgsOrExit<S extends z.ZodType>(
  command: PostgresCommand<S>,
  argv: string[],
  io: Io,
): { args: z.output<S>; options: PostgresOptions } | { exit: number } {
  const got = argsOrExit(command.schema, argv, command.usage, io, command.switches);
  if ('exit' in got) return got;
  let options: PostgresOptions | null;
  try {
    options = readPostgresOptions(io.env);
  } catch (err) {
    io.err((err as Error).message);
    return { exit: 2 };
  }
  if (!options) {
    io.err(`${command.missing}\n\n${command.usage}`);
    return { exit: 2 };
  }
  return { args: got.args, options };
}

/** What a command's main prints to: its standard output and standard error. */
export type Printer = Omit<Io, 'env'>;

/**
 * A command's main on the two databases: the arguments and the databases' options read (or the exit code for a
 * problem with them), then `run`. Returns the exit code.
 */
export function postgresMain<S extends z.ZodType>(
  command: PostgresCommand<S>,
  run: (got: { args: z.output<S>; options: PostgresOptions }, io: Io) => Promise<number>,
) {
  return async (
    argv: string[],
    env: NodeJS.ProcessEnv = process.env,
    printer: Printer = { out: console.log, err: console.error },
  ): Promise<number> => {
    const io = { env, ...printer };
    const got = postgresArgsOrExit(command, argv, io);
    return 'exit' in got ? got.exit : run(got, io);
  };
}
