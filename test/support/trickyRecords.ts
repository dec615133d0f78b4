import { createRecord } from '../../src/interview/engine.js';
import { letterCode } from '../../src/interview/codes.js';
import type { InterviewRecord } from '../../src/interview/types.js';
import { contextFor } from './context.js';

/**
 * Completed interviews whose answers need quoting, neutralising or more than one byte a character (and one a
 * batch longer than a batch's room), for the tests that compare the CSV export's bytes.
 */

export const ctx = contextFor();
const deckIds = ctx.deck.clusters.flatMap((c) => c.competencies.map((k) => k.id));
export const TRICKY = [
  '=HYPERLINK("http://evil.example")',
  '+31 6 1234',
  '-2',
  '@SUM(A1)',
  '\tgetabd',
  '\rterug',
  'Zei "ja"; maar, eerlijk',
  'regel\nnieuwe regel\r\nen nog een',
  'café ’t Hoekje, 日本語 en 🎉',
  'a\uD800b',
  '   ',
  '',
];

export const LONG = `lang ${'é'.repeat(30_000)} einde`;

export function trickyRecord(i: number): InterviewRecord {
  const placement = Object.fromEntries(deckIds.slice(i, i + 12).map((id, s) => [id, ((s + i) % 7) - 3]));
  const text = (k: number) => TRICKY[(i + k) % TRICKY.length] ?? '';
  const [first = '', second = ''] = Object.keys(placement);
  return {
    ...createRecord(ctx, letterCode(i), i % 2 === 0, null),
    answers: {
      background: {
        role: text(0),
        specialism: text(1),
        changes: null,
        // An id the guide does not list is written as it is, neutralised.
        ageBand: i === 3 ? '=not-a-band' : 'age-35-39',
        experienceBand: i === 1 ? null : 'exp-5-9',
        workArea: 'west',
      },
      named: { first: text(2), second: text(3) },
      // One answer longer than a batch's room.
      wrapUp: { anythingElse: i === 5 ? LONG : text(4) },
    },
    selection: Object.keys(placement),
    placement,
    followUps: {
      [first]: {
        column: placement[first] ?? 0,
        answers: { why: text(5), teamAttention: -2, teamAttentionWhy: text(6) },
      },
      [second]: { column: placement[second] ?? 0, answers: { why: text(7), useNow: '', bond: text(8) } },
    },
    completedAt: '2026-11-25T11:00:00.000Z',
  };
}
