import { fileURLToPath } from 'node:url';

/** The repository root (dialogs/, cards/): the content the servers under test read. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ROUND = 'default';
export const TENANT = 'bench-tenant';
/** The whole bench stops by itself after this long, whatever happens. */
export const WATCHDOG_MS = 15 * 60_000;
/** A turn that takes longer counts as failed (and fails the bench). */
export const REQUEST_TIMEOUT_MS = 120_000;
/** The Bot Connector service gives up on a bot's answer after 15 s: such a turn fails in Teams. */
export const CONNECTOR_TIMEOUT_MS = 15_000;
/** A short idle gap between runs: the server's timers and garbage of the last run settle first. */
export const SETTLE_MS = 1000;
/** The timeline of a run: turns/s and p99 per this many ms. */
export const TIMELINE_MS = 5000;
