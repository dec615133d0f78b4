import { invitationView } from '../../src/interview/views.js';
import type { InterviewView } from '../../src/interview/cardViews.js';
import type { Locale } from '../../src/interview/types.js';
import { contextFor } from './context.js';
import { EngineDriver } from './engineDriver.js';

/** Every card a participant meets in one whole interview, and the read-only summaries that replace them. */
export interface WholeInterview {
  cards: InterviewView[];
  summaries: InterviewView[];
}

/** Each language and deck a whole interview is walked in, as test.each rows. */
export const EVERY_LOCALE_AND_DECK = [
  ['nl', 'wij-competenties'],
  ['en', 'wij-competenties'],
  ['nl', 'basiscompetenties'],
  ['en', 'basiscompetenties'],
] as const;

/**
 * Walks a whole interview through the pure engine, the largest way: all cards of the deck picked (so the most
 * placement pages and follow-ups) and the longest allowed answer to every text question.
 */
export function wholeInterview(locale: Locale, deck: string): WholeInterview {
  const driver = new EngineDriver(contextFor({ locale, deck }));
  const cards: InterviewView[] = [invitationView(driver.ctx)];
  const summaries: InterviewView[] = [];
  const see = () => {
    cards.push(driver.card());
    if (driver.last.submitted) summaries.push(driver.last.submitted);
  };
  driver.turn({ kind: 'start' });
  see();
  driver.press('next');
  see();
  driver.press('consentYes');
  see();
  /** Presses the card's button with the inputs; a refused card would leave the walk going round in circles. */
  const submit = (inputs: Record<string, string>) => {
    const before = driver.record.rev;
    driver.press('next', inputs);
    see();
    if (driver.record.rev === before) throw new Error(`the card was refused: ${driver.texts().join(' ')}`);
  };
  /** The longest allowed answer to every text question of the card shown. */
  const longest = () =>
    Object.fromEntries(
      (driver.card().data.questions as { id: string; isText: boolean; maxLength: number }[])
        .filter((q) => q.isText)
        .map((q) => [q.id, 'x'.repeat(q.maxLength)]),
    );
  const answerLongest = () => submit(longest());
  while (driver.card().template === 'questions') answerLongest();
  while (driver.card().template === 'pick') {
    const page = (driver.card().data.clusters as { cards: { id: string }[] }[]).flatMap((c) => c.cards);
    submit(Object.fromEntries(page.map((c) => [c.id, 'true'])));
  }
  while (driver.card().template === 'place') {
    submit(
      Object.fromEntries((driver.card().data.cards as { id: string }[]).map((c, i) => [c.id, String(i % 2 ? 3 : -3)])),
    );
  }
  driver.press('confirm');
  see();
  while (driver.card().template === 'questions') answerLongest();
  return { cards, summaries };
}
