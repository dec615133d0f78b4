import { z } from 'zod';

/** Every card button carries where it was shown (step, index) and the record revision it was shown at. */
export const ACTIONS = [
  'next',
  'back',
  'consentYes',
  'consentNo',
  'move',
  'confirm',
  'withdrawYes',
  'withdrawNo',
  'start',
  'notNow',
  'noThanks',
] as const;
export type Action = (typeof ACTIONS)[number];

export const Stamp = z
  .object({
    s: z.string().min(1).max(64),
    i: z.number().int().min(0).max(1000),
    r: z.number().int().min(0),
    a: z.enum(ACTIONS),
    /** The round the card belongs to: a participant may take part in several rounds over time. */
    rd: z.string().min(1).max(64),
  })
  .strict();
export type Stamp = z.infer<typeof Stamp>;

export const Submission = z.object({ wz: Stamp }).catchall(z.unknown());

export function stamp(rd: string, s: string, i: number, r: number, a: Action): { wz: Stamp } {
  return { wz: { s, i, r, a, rd } };
}

/** The round a card submission names, if it is well-formed enough to name one. */
export function roundOfSubmission(data: unknown): string | null {
  const rd = (data as { wz?: { rd?: unknown } } | null)?.wz?.rd;
  return typeof rd === 'string' ? rd : null;
}
