import { loadContent } from '../../src/content/load.js';
import type { InterviewContext, Locale } from '../../src/interview/types.js';

export const content = loadContent();

export function contextFor(
  overrides: { locale?: Locale; deck?: string; extremeColumns?: number[]; now?: Date; participantName?: string } = {},
): InterviewContext {
  const base = content.rounds.get('default')!;
  const round = {
    ...base,
    deck: overrides.deck ?? base.deck,
    extremeColumns: overrides.extremeColumns ?? base.extremeColumns,
  };
  return {
    guide: content.guides.get(round.guide)!,
    deck: content.decks.get(round.deck)!,
    round,
    locale: overrides.locale ?? 'nl',
    now: overrides.now ?? new Date('2026-11-25T10:00:00Z'),
    participantName: overrides.participantName,
    submitKey: Buffer.alloc(32, 9),
  };
}
