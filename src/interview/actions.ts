import { z } from 'zod';

/** Every card button carries where it was shown (step, index) and the record revision it was shown at. */
export const ACTIONS = ['next', 'back', 'consentYes', 'consentNo', 'move', 'confirm', 'withdrawYes', 'withdrawNo'] as const;
export type Action = (typeof ACTIONS)[number];

export const Stamp = z.object({
  s: z.string().min(1).max(64),
  i: z.number().int().min(0).max(1000),
  r: z.number().int().min(0),
  a: z.enum(ACTIONS),
}).strict();
export type Stamp = z.infer<typeof Stamp>;

export const Submission = z.object({ wz: Stamp }).catchall(z.unknown());

export function stamp(s: string, i: number, r: number, a: Action): { wz: Stamp } {
  return { wz: { s, i, r, a } };
}
