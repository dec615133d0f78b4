import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { format } from 'node:util';
import { pino, type Logger } from 'pino';

/**
 * The bot's only logger: structured JSON lines (pino) on stdout. It takes short event names and counts, never an
 * activity, a name or an id: a log line must not identify a participant. Every line written during a turn carries
 * that turn's correlation id (`turn`), so the lines of one request can be found together.
 */
export type LogFields = Record<string, string | number | boolean>;

interface TurnScope {
  turn: string;
  /** What the turn came to, noted along the way by the code that knows (the edge, the bot); logged at its end. */
  notes: LogFields;
}

const scopes = new AsyncLocalStorage<TurnScope>();

/** LOG_LEVEL wins; WIJZER_QUIET (tests, bench children) keeps only errors. Read per call: tests set it late. */
function wantedLevel(): string {
  return process.env.LOG_LEVEL ?? (process.env.WIJZER_QUIET ? 'error' : 'info');
}

let logger: Logger | undefined;

function output(): Logger {
  // process.stdout writes synchronously to files and pipes on Linux: the line that explains a crash gets out
  // before the process ends.
  logger ??= pino(
    {
      base: undefined,
      timestamp: () => `,"at":"${new Date().toISOString()}"`,
      messageKey: 'event',
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const scope = scopes.getStore();
        return scope ? { turn: scope.turn } : {};
      },
    },
    process.stdout,
  );
  const level = wantedLevel();
  if (logger.level !== level) logger.level = level;
  return logger;
}

/**
 * An error message without what may identify someone: HTTP errors of the Bot Connector name the request's URL,
 * and so the conversation (and with it the user); quoted values may be anything a sender put in an activity.
 */
export function scrubMessage(message: string): string {
  return message
    .replace(/\bhttps?:\/\/\S+/gi, '<url>')
    .replace(/\/v3\/conversations\/\S*/gi, '/v3/conversations/<id>')
    .replace(/value "[^"]*"/g, 'value <value>')
    .replace(/[^\s@"']+@[^\s@"']+/g, '<address>')
    .slice(0, 300);
}

/** The error's class and (scrubbed) message; never the object itself (it may hold an activity). */
function describe(err: unknown): LogFields {
  if (!(err instanceof Error)) return { error: typeof err, message: scrubMessage(String(err)) };
  const { code } = err as { code?: unknown };
  return { error: err.name, message: scrubMessage(err.message), ...(typeof code === 'string' ? { code } : {}) };
}

export const log = {
  info(event: string, fields: LogFields = {}): void {
    output().info(fields, event);
  },
  warn(event: string, fields: LogFields = {}): void {
    output().warn(fields, event);
  },
  error(event: string, err: unknown, fields: LogFields = {}): void {
    output().error({ ...fields, ...describe(err) }, event);
  },
};

/** Runs one turn (one HTTP request) under a fresh correlation id, and logs one `turn` line at its end: the notes and the time taken. */
export async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const scope: TurnScope = { turn: randomUUID(), notes: {} };
  const started = performance.now();
  return scopes.run(scope, async () => {
    try {
      return await work();
    } finally {
      log.info('turn', { outcome: 'ok', ...scope.notes, ms: Math.round((performance.now() - started) * 10) / 10 });
    }
  });
}

/** Adds to the outcome of the current turn (no-op outside one). */
export function noteTurn(fields: LogFields): void {
  Object.assign(scopes.getStore()?.notes ?? {}, fields);
}

/**
 * Libraries that print with console.error/console.warn (botbuilder's CloudAdapter prints the errors it answers
 * 500 to) go through the same logger: one format, the turn's correlation id, and no stray lines on stderr.
 */
export function routeConsoleToLog(): void {
  const text = (args: unknown[]) =>
    scrubMessage(format(...args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : a))));
  console.error = (...args: unknown[]) => output().error({ message: text(args) }, 'library.error');
  console.warn = (...args: unknown[]) => output().warn({ message: text(args) }, 'library.warning');
  // Node prints its process warnings with console.error, which made a dependency's deprecation an error line
  // (restify loads spdy, whose http-deceiver calls process.binding: DEP0111). They are warnings: logged as such,
  // in place of Node's own printing.
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: unknown }) =>
    output().warn(
      {
        warning: warning.name,
        message: scrubMessage(warning.message),
        ...(typeof warning.code === 'string' ? { code: warning.code } : {}),
      },
      'process.warning',
    ),
  );
}
