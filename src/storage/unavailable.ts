import { StoreUnavailableError } from '../ports/stores.js';

/** Node's network errors when the database cannot be reached or the connection broke. */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** PostgreSQL's own: 08xxx connection problems, 57P01-57P03 shut down or starting, 53300 too many connections. */
const POSTGRES = /^(08...|57P0[123]|53300)$/;

/** pg's messages for a connection that broke or could not be had in time (they carry no code). */
const PG_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection terminated unexpectedly/i;

/**
 * Whether a turn failed because the store could not be used for a moment (disk full or read-only, database down
 * or restarting): then nothing of the turn was saved and trying again later will work.
 */
export function isStoreUnavailable(err: unknown): boolean {
  if (err instanceof StoreUnavailableError) return true;
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK.has(code) || POSTGRES.test(code))) return true;
  return typeof message === 'string' && PG_MESSAGES.test(message);
}
