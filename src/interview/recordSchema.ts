import { z } from 'zod';
import type { InterviewRecord } from './types.js';

/**
 * The stored interview record as a zod schema (src/interview/types.ts has the type): what every save must
 * satisfy. The property suite checks every record the engine produces against it.
 */
const Iso = z.iso.datetime();
const Answers = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

export const InterviewRecordSchema = z
  .object({
    roundId: z.string().min(1),
    code: z.string().min(1),
    guide: z.object({ id: z.string().min(1), version: z.string().min(1) }).strict(),
    deckId: z.string().min(1),
    rev: z.number().int().min(0),
    consent: z.object({ participate: z.literal(true), quote: z.boolean(), at: Iso }).strict(),
    answers: z.record(z.string(), Answers),
    selection: z.array(z.string().min(1)).refine((ids) => new Set(ids).size === ids.length, 'a card is selected twice'),
    placement: z.record(z.string(), z.number().int()),
    followUps: z.record(z.string(), z.object({ column: z.number().int(), answers: Answers }).strict()),
    nudges: z.object({ noLowest: z.boolean(), topHeavy: z.boolean() }).strict(),
    position: z.object({ step: z.string().min(1), index: z.number().int().min(0) }).strict(),
    stepTimes: z.record(z.string(), z.object({ firstAt: Iso, lastAt: Iso.optional() }).strict()),
    startedAt: Iso,
    completedAt: Iso.nullable(),
    lastSubmit: z.string().nullable(),
  })
  .strict() satisfies z.ZodType<InterviewRecord>;
