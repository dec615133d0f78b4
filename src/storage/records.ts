import { z } from 'zod';
import { Round } from '../content/schema.js';

/**
 * The shapes of what the stores keep, as zod schemas: a file or row that does not parse under its schema is
 * corrupt (the embedded store moves it aside, tests check every stored record against them).
 */
const AnswerValue = z.union([z.string(), z.number(), z.null()]);
const Answers = z.record(z.string(), AnswerValue);

export const InterviewRecordSchema = z.object({
  roundId: z.string().min(1),
  code: z.string().regex(/^[A-Z]+$/),
  guide: z.object({ id: z.string(), version: z.string() }),
  deckId: z.string(),
  rev: z.number().int().positive(),
  consent: z.object({ participate: z.literal(true), quote: z.boolean(), at: z.string() }),
  answers: z.record(z.string(), Answers),
  selection: z.array(z.string()),
  placement: z.record(z.string(), z.number()),
  followUps: z.record(z.string(), z.object({ column: z.number(), answers: Answers })),
  nudges: z.object({ noLowest: z.boolean(), topHeavy: z.boolean() }),
  position: z.object({ step: z.string(), index: z.number().int() }),
  stepTimes: z.record(z.string(), z.object({ firstAt: z.string(), lastAt: z.string().optional() })),
  startedAt: z.string(),
  completedAt: z.string().nullable(),
  lastSubmit: z.string().nullable(),
});

export const RoundCountersSchema = z.object({
  issued: z.number().int().min(0),
  declined: z.number().int().min(0),
  withdrawn: z.number().int().min(0),
});

export const DigestLogSchema = z.array(
  z.object({
    period: z.string(),
    at: z.string(),
    invited: z.number(),
    completed: z.number(),
    inProgress: z.number(),
    details: z.number().optional(),
  }),
);

export const KeyEntrySchema = z.object({
  code: z.string().optional(),
  declined: z.literal(true).optional(),
  invitedAt: z.string().optional(),
  remindersSent: z.number().optional(),
  lastReminderAt: z.string().optional(),
  snoozedUntil: z.string().optional(),
  withdrawing: z.string().optional(),
  cards: z.array(z.string()).max(100).optional(),
});

export const ConversationTargetSchema = z.object({
  channelId: z.string(),
  serviceUrl: z.string(),
  tenantId: z.string(),
  userId: z.string(),
  conversationId: z.string().optional(),
  botId: z.string().optional(),
  conversationType: z.string().optional(),
});

export const ParticipantKeysSchema = z.object({
  rounds: z.record(z.string(), KeyEntrySchema),
  target: ConversationTargetSchema.optional(),
});

export const OutboxJobSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['invite', 'remind', 'digest']),
  roundId: z.string(),
  pseudonym: z.string(),
  target: ConversationTargetSchema,
  period: z.string().optional(),
  status: z.enum(['pending', 'sending', 'sent', 'failed', 'unreachable', 'uncertain']),
  attempts: z.number().int().min(0),
  notBefore: z.string(),
  createdAt: z.string(),
  claimedAt: z.string().optional(),
  startedAt: z.string().optional(),
  doneAt: z.string().optional(),
  lastError: z.string().optional(),
});

export const ResearchersSchema = z.object({ ids: z.array(z.string()) });
export const DigestChannelsSchema = z.array(ConversationTargetSchema);
export const NumberTokensSchema = z.record(z.string(), z.string());
/** Export link id (a hash) to its expiry in ms. */
export const ExportLinksSchema = z.record(z.string(), z.number());
export { Round as RoundSchema };
