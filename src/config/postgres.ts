import { z } from 'zod';

/*
 * The PostgreSQL mode's part of the config. It loads no database driver: reading the config must not load `pg`
 * for a bot that runs on the embedded store.
 */

export const POOL_DEFAULTS = {
  poolMax: 10,
  connectionTimeoutMs: 5000,
  idleTimeoutMs: 30000,
  statementTimeoutMs: 10000,
} as const;

export const DEFAULT_CLAIM_LEASE_MS = 2 * 60 * 1000;

const int = (min: number) => z.coerce.number().int().min(min);

/**
 * The environment variables of the PostgreSQL mode, with their defaults. Merge into the config's schema, or call
 * readPostgresOptions. Both URLs or neither: one alone is refused.
 */
export const PostgresEnv = z.object({
  DATABASE_URL: z.string().optional(),
  KEY_DATABASE_URL: z.string().optional(),
  /** Connections per database and instance. */
  PG_POOL_MAX: int(1).max(1000).default(POOL_DEFAULTS.poolMax),
  PG_CONNECT_TIMEOUT_MS: int(100).default(POOL_DEFAULTS.connectionTimeoutMs),
  PG_IDLE_TIMEOUT_MS: int(0).default(POOL_DEFAULTS.idleTimeoutMs),
  PG_STATEMENT_TIMEOUT_MS: int(100).default(POOL_DEFAULTS.statementTimeoutMs),
  OUTBOX_CLAIM_LEASE_SEC: int(1).default(DEFAULT_CLAIM_LEASE_MS / 1000),
});
export type PostgresEnv = z.output<typeof PostgresEnv>;
