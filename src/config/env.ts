import { z } from 'zod';
import { PostgresEnv } from '../storage/postgres/index.js';

const list = z.string().optional().transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

export const Env = z.object({
  NODE_ENV: z.string().default('development'),
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
  ALLOWED_TENANT_IDS: list,
  /** Entra (AAD) object ids of the researchers; more can be added from Teams. */
  RESEARCHER_IDS: list,
  /** The bot's public base URL, for export download links. */
  PUBLIC_URL: z.url().optional(),
  EXPORT_LINK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** Proactive messages per second (invitations, reminders): Teams allows about 30 per second per bot and tenant. */
  OUTBOX_RATE_PER_SEC: z.coerce.number().positive().max(50).default(10),
  /** How often reminders, the outbox and the retention clean-up are checked. */
  SCHEDULER_INTERVAL_SEC: z.coerce.number().int().min(1).default(60),
  /** Per participant: messages per second, and at once, before the bot asks them to slow down (a flood). */
  FLOOD_RATE_PER_SEC: z.coerce.number().positive().default(3),
  FLOOD_BURST: z.coerce.number().int().min(1).default(30),
  /** DATABASE_URL and KEY_DATABASE_URL switch from the embedded store to PostgreSQL; pool sizes and timeouts. */
  ...PostgresEnv.shape,
}).transform((env) => ({ ...env, production: env.NODE_ENV === 'production', localMode: !env.MicrosoftAppId }));
export type Config = z.output<typeof Env>;

/** Reads the environment once at start-up; a bad value stops the start with the variable's name. */
export function readConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    throw new Error(`Invalid environment:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const config = parsed.data;
  if (config.production && config.localMode) {
    throw new Error('NODE_ENV=production needs MicrosoftAppId and its credentials: refusing to run unauthenticated.');
  }
  if (config.production && !config.PSEUDONYM_SECRET) {
    throw new Error('NODE_ENV=production needs PSEUDONYM_SECRET (at least 32 random bytes, hex or base64).');
  }
  if ((config.DATABASE_URL || config.KEY_DATABASE_URL) && !config.PSEUDONYM_SECRET) {
    // Several instances must compute the same pseudonyms: a secret generated per instance would split participants.
    throw new Error('PostgreSQL mode (DATABASE_URL) needs PSEUDONYM_SECRET, the same for every instance.');
  }
  return config;
}
