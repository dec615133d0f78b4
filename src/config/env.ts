import { z } from 'zod';
import { DEFAULT_RATE_HEADROOM } from './outbox.js';
import { PostgresEnv } from './postgres.js';
import { secretProblem } from './secretStrength.js';

const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

export const Env = z
  .object({
    NODE_ENV: z.string().default('development'),
    /**
     * 1: run without Bot Framework authentication, on 127.0.0.1 only (Agents Playground, tests). Never in production.
     */
    WIJZER_LOCAL: z.enum(['0', '1']).optional(),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    DATA_DIR: z.string().min(1).default('./data'),
    KEY_DIR: z.string().min(1).default('./keys'),
    CONTENT_DIR: z.string().min(1).default('.'),
    /** Hex or base64, at least 32 bytes. Required in production; local mode generates one in KEY_DIR. */
    PSEUDONYM_SECRET: z.string().optional(),
    MicrosoftAppId: z.string().optional(),
    MicrosoftAppPassword: z.string().optional(),
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
    MicrosoftAppTenantId: z.string().optional(),
    /** The Entra tenants served; required with credentials. `*` serves every tenant: dangerous, see the README. */
    ALLOWED_TENANT_IDS: list,
    /**
     * Tests only: where the channel's OpenID metadata (signing keys) is read, instead of login.botframework.com.
     * Refused with NODE_ENV=production; the issuer, audience and serviceUrl checks stay those of production.
     */
    BOT_OPENID_METADATA_URL: z.url().optional(),
    /** Entra (AAD) object ids of the researchers; more can be added from Teams. */
    RESEARCHER_IDS: list,
    /** The bot's public base URL, for export download links. */
    PUBLIC_URL: z.url().optional(),
    /** How long an export or analysis link works; each link works once. */
    EXPORT_LINK_MINUTES: z.coerce.number().int().min(1).max(60).default(10),
    /** Proactive messages per second (invitations, reminders): Teams allows about 30 per second per bot and tenant. */
    OUTBOX_RATE_PER_SEC: z.coerce.number().positive().max(50).default(10),
    /** The share of that rate left unused, so that network jitter never crowds a second with one send too many. */
    OUTBOX_RATE_HEADROOM: z.coerce.number().min(0).max(0.5).default(DEFAULT_RATE_HEADROOM),
    /** How often reminders, the outbox and the retention clean-up are checked. */
    SCHEDULER_INTERVAL_SEC: z.coerce.number().int().min(1).default(60),
    /** Per participant: messages per second, and at once, before the bot asks them to slow down (a flood). */
    FLOOD_RATE_PER_SEC: z.coerce.number().positive().default(3),
    FLOOD_BURST: z.coerce.number().int().min(1).default(30),
    /** DATABASE_URL and KEY_DATABASE_URL switch from the embedded store to PostgreSQL; pool sizes and timeouts. */
    ...PostgresEnv.shape,
  })
  .transform((env) => ({ ...env, production: env.NODE_ENV === 'production', localMode: env.WIJZER_LOCAL === '1' }));
export type Config = z.output<typeof Env>;

/** Reads the environment once at start-up; a bad value stops the start with the variable's name. */
export function readConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${issues.join('\n')}`);
  }
  const config = parsed.data;
  if (config.production && (config.localMode || !config.MicrosoftAppId)) {
    throw new Error(
      'NODE_ENV=production needs MicrosoftAppId and its credentials (and no WIJZER_LOCAL): ' +
        'refusing to run unauthenticated.',
    );
  }
  if (config.localMode && config.MicrosoftAppId) {
    throw new Error(
      'WIJZER_LOCAL=1 runs without authentication: unset it to run with MicrosoftAppId, ' +
        'or unset MicrosoftAppId for a local run.',
    );
  }
  if (config.production && config.BOT_OPENID_METADATA_URL) {
    throw new Error('BOT_OPENID_METADATA_URL is for tests only: unset it with NODE_ENV=production.');
  }
  if (config.production && !config.PSEUDONYM_SECRET) {
    throw new Error(
      'NODE_ENV=production needs PSEUDONYM_SECRET ' +
        '(at least 32 random bytes, hex or base64: `openssl rand -base64 48`).',
    );
  }
  if ((config.DATABASE_URL || config.KEY_DATABASE_URL) && !config.PSEUDONYM_SECRET) {
    // Several instances must compute the same pseudonyms: a secret generated per instance would split participants.
    throw new Error('PostgreSQL mode (DATABASE_URL) needs PSEUDONYM_SECRET, the same for every instance.');
  }
  const weak = config.PSEUDONYM_SECRET && secretProblem('PSEUDONYM_SECRET', config.PSEUDONYM_SECRET);
  if (weak) throw new Error(weak);
  return config;
}

/**
 * What serving Teams traffic needs, beyond a valid environment (the command-line tools need less): credentials, or
 * local mode asked for by name; and with credentials, the tenants to serve. Fails closed.
 */
export function assertServable(config: Config): void {
  if (config.localMode) return;
  if (!config.MicrosoftAppId) {
    throw new Error(
      'No Azure Bot credentials: set MicrosoftAppId and MicrosoftAppPassword ' +
        '(and MicrosoftAppType, MicrosoftAppTenantId) to serve Teams, ' +
        'or WIJZER_LOCAL=1 to run unauthenticated on 127.0.0.1 for the Agents Playground and tests.',
    );
  }
  if (!config.ALLOWED_TENANT_IDS.length) {
    throw new Error(
      'ALLOWED_TENANT_IDS is required with credentials: the Entra tenant id(s) to serve, comma-separated ' +
        '(ALLOWED_TENANT_IDS=* serves every tenant: dangerous).',
    );
  }
}
