import type { Config } from '../config/env.js';
import { openLowdbStores } from './lowdb/index.js';
import type { RateGate } from '../research/outbox/pacedGate.js';
import type { Stores } from '../ports/stores.js';
import { postgresOptionsFrom } from './postgres/options.js';

export type OpenStores = Stores & {
  /** For GET /readyz: throws when a store does not answer or its schema is not current. */
  ready?(): Promise<void>;
  /** A send schedule shared by every instance (slots `spacingMs` apart); the embedded store serves one instance. */
  rateGate?(name: string, spacingMs: number): RateGate;
  /** The bot has started: from now on a corrupt embedded-store file is quarantined rather than fatal. */
  started?(): void;
  /** Embedded-store files quarantined while running (for /readyz). */
  quarantined?(): number;
};

/** Who opens the stores, and whether they only read (then they may read beside a running bot). */
export interface StoreAccess {
  command: string;
  readOnly?: boolean;
}

/**
 * The stores the bot and every command use: PostgreSQL when DATABASE_URL and KEY_DATABASE_URL are set (two
 * databases, current schema, else a clear refusal), the embedded lowdb store under DATA_DIR and KEY_DIR otherwise.
 * The embedded store has one writer at a time: a second bot or a writing command is refused, naming the first.
 */
export async function openStores(
  config: Config,
  access: StoreAccess = { command: 'the Wijzer bot' },
): Promise<OpenStores> {
  const postgres = postgresOptionsFrom(config);
  // The driver loads only when PostgreSQL is used.
  if (postgres) return (await import('./postgres/index.js')).openPostgresStores(postgres);
  return openLowdbStores(config.DATA_DIR, config.KEY_DIR, { lockAs: access.command, readOnlyIfHeld: access.readOnly });
}
