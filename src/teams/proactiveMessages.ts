import type { DigestComposer } from '../digest/composer.js';
import type { InterviewSession } from '../interview/session.js';
import type { Stores } from '../ports/stores.js';
import type { CardTemplates } from './cardTemplates.js';
import { toActivity } from './replies.js';
import type { Compose } from './teamsMessenger.js';

export interface ProactiveSources {
  stores: Stores;
  session: InterviewSession;
  digests: DigestComposer;
  cards: CardTemplates;
}

/**
 * The messages of a proactive job: an invitation shows the round's invitation card, a reminder the participant's
 * current card, a digest the round's summary cards in a channel.
 */
export function composeProactive({ stores, session, digests, cards }: ProactiveSources): Compose {
  return async (job) => {
    if (job.kind === 'digest') {
      return (await digests.views(job.roundId, job.period ?? '')).map((card) => toActivity(cards, { kind: 'card', card }));
    }
    // Withdrawn (or the round's keys destroyed) since it was claimed: the job is gone, and nothing goes out.
    if (!(await stores.outbox.get(job.id))) return [];
    const input = { kind: job.kind === 'invite' ? ('invitation' as const) : ('reminder' as const) };
    const response = await session.run({ pseudonym: job.pseudonym, locale: 'nl', input, roundId: job.roundId });
    return response.replies.map((reply) => toActivity(cards, reply));
  };
}
