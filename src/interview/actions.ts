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

/** The withdrawal card's buttons: that card is answered as it was shown, never refreshed into another. */
export function isWithdrawalAction(action: string | undefined): boolean {
  return action === 'withdrawYes' || action === 'withdrawNo';
}

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

/** A card submission: its stamp checked, the card's inputs beside it as they were sent. */
export interface Submission {
  wz: Stamp;
  data: Record<string, unknown>;
}

/**
 * The submission in a press's data, or null when the data is no object or its stamp is not valid. Only the stamp is
 * parsed: the inputs are read by whoever needs them (checkAnswers, checkPick), and a parsed copy of every input
 * would be thrown away.
 */
export function submissionOf(data: unknown): Submission | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const stamp = Stamp.safeParse((data as { wz?: unknown }).wz);
  return stamp.success ? { wz: stamp.data, data: data as Record<string, unknown> } : null;
}

export function stamp(rd: string, s: string, i: number, r: number, a: Action): { wz: Stamp } {
  return { wz: { s, i, r, a, rd } };
}

/** The round a card submission names, if it is well-formed enough to name one. */
export function roundOfSubmission(data: unknown): string | null {
  const rd = (data as { wz?: { rd?: unknown } } | null)?.wz?.rd;
  return typeof rd === 'string' ? rd : null;
}
