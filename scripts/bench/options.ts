import { resolve } from 'node:path';
import { z } from 'zod';

/** Every phase, in the order they run: a–d, then the analysis, the core, the PostgreSQL phases and the flood. */
export const ALL_PHASES = [
  'a',
  'b',
  'c',
  'd',
  'analysis',
  'core',
  'pg',
  'pg2',
  'pgsave',
  'export',
  'fanout2',
  'flood',
] as const;
export type Phase = (typeof ALL_PHASES)[number];
/** The phases that need the throw-away PostgreSQL databases. */
export const PG_PHASES: readonly Phase[] = ['pg', 'pg2', 'pgsave', 'export', 'fanout2'];

/** The options that take no value. */
export const SWITCHES = ['json'] as const;

export const USAGE = `usage: npm run bench -- [options]
  --json                   the last stdout line is the figures as JSON
  --phases LIST            comma-separated, of ${ALL_PHASES.join(',')} (default: all)
  --participants N         simulated participants per run (200)
  --warmup N               warm-up participants, not measured (10)
  --repeats N              runs of each bot in phases a and b, Wijzer's and the echo bot's alternating (3)
  --saves N                timed saves per store size (300)
  --large N                the large store's interviews, and the large analysis's sorts (60000)
  --think MS               the paced run's mean think time (2000; 0 skips the paced runs)
  --ramp MS                the paced run's starts spread over MS (4000)
  --fanout-jobs N          invitations in phase d (600)
  --fanout-rate N          the Outbox's invitations/s (20: the default limit, in invitations to new chats)
  --fanout-limit N         the mock connector's requests/s (40; an invitation to a new chat costs 2 requests)
  --fanout-retry-after S   the mock's Retry-After in seconds (1), or "none" to leave the header out
  --pg-participants N      participants of the PostgreSQL load runs (100)
  --fanout2-jobs N         invitations of the two-instance fan-out (200)
  --fanout2-limit N        its mock connector's requests/s (40)
  --profile DIR            write a V8 CPU profile of each server process to DIR
  --soak MINUTES           run only the soak: steady interviews, the bot killed and restarted every 2 minutes`;

/** A whole number option: absent gives the default; below `min` is raised to it. */
function whole(flag: string, fallback: number, min = 0) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return Math.max(min, fallback);
      const n = Number(raw);
      if (/^\d+$/.test(raw) && Number.isSafeInteger(n)) return Math.max(min, n);
      ctx.addIssue({ code: 'custom', message: `--${flag} needs a whole number, got ${JSON.stringify(raw)}` });
      return z.NEVER;
    });
}

const phaseList = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    const names = raw === undefined ? [...ALL_PHASES] : raw.split(',').map((s) => s.trim());
    const unknown = names.filter((n) => !(ALL_PHASES as readonly string[]).includes(n));
    if (unknown.length) {
      const message = `--phases: unknown phase ${unknown.join(', ')} (known: ${ALL_PHASES.join(',')})`;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return new Set(names as Phase[]);
  });

const soakMinutes = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined) return null;
    const minutes = Number(raw);
    if (Number.isFinite(minutes) && minutes > 0) return minutes;
    const message = `--soak needs a number of minutes, e.g. --soak 20 (got ${JSON.stringify(raw)})`;
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });

export const BenchArgs = z
  .object({
    json: z.literal('true').optional(),
    phases: phaseList,
    participants: whole('participants', 200, 1),
    warmup: whole('warmup', 10),
    repeats: whole('repeats', 3, 1),
    saves: whole('saves', 300, 1),
    large: whole('large', 60_000, 1001),
    think: whole('think', 2000),
    ramp: whole('ramp', 4000),
    'fanout-jobs': whole('fanout-jobs', 600, 1),
    'fanout-rate': whole('fanout-rate', 20, 1),
    'fanout-limit': whole('fanout-limit', 40, 1),
    'fanout-retry-after': z.literal('none').or(whole('fanout-retry-after', 1)),
    'pg-participants': whole('pg-participants', 100, 1),
    'fanout2-jobs': whole('fanout2-jobs', 200, 2),
    'fanout2-limit': whole('fanout2-limit', 40, 2),
    profile: z.string().min(1, '--profile needs a folder').optional(),
    soak: soakMinutes,
  })
  .strict()
  .transform((args) => ({
    json: args.json === 'true',
    participants: args.participants,
    warmup: args.warmup,
    /** Phases a and b: closed-loop and paced runs per bot, each next to the other bot's; the ratios are medians. */
    repeats: args.repeats,
    saves: args.saves,
    /** The small store's interviews and the small analysis's sorts. */
    small: 1000,
    large: args.large,
    phases: args.phases,
    /** The paced run: each participant's think time before a turn, on average (uniformly ±50%); 0 skips the run. */
    thinkMs: args.think,
    /** The paced run: the participants' starts spread evenly over this many ms. */
    rampMs: args.ramp,
    fanoutJobs: args['fanout-jobs'],
    /** The Outbox's token bucket, invitations per second. */
    fanoutRate: args['fanout-rate'],
    /** The mock connector's rate limit, requests per second. */
    fanoutLimit: args['fanout-limit'],
    /** The mock's Retry-After in seconds; null sends none. */
    fanoutRetryAfter: args['fanout-retry-after'] === 'none' ? null : args['fanout-retry-after'],
    profileDir: args.profile === undefined ? null : resolve(args.profile),
    /** The PostgreSQL load runs' participants (fewer than --participants, to keep the bench within ~6 minutes). */
    pgParticipants: args['pg-participants'],
    /** The two-instance fan-out: invitations, and the mock connector's limit in requests/s. */
    fanout2Jobs: args['fanout2-jobs'],
    fanout2Limit: args['fanout2-limit'],
    /** Run only the soak, for this many minutes. */
    soakMinutes: args.soak,
  }));

export type Options = z.output<typeof BenchArgs>;
