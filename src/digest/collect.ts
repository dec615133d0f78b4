import type { Content } from '../content/load.js';
import type { Round } from '../content/schema.js';
import type { InterviewRecord, Locale } from '../interview/types.js';
import { numberCodes } from '../research/export/codes.js';
import type { Stores } from '../storage/ports.js';
import { buildDigest, type Digest, type DigestSnapshot } from './aggregate.js';
import { analyseRound } from '../analysis/pipeline.js';
import { viewpointsSection } from '../analysis/summary.js';

export interface CollectInput {
  stores: Pick<Stores, 'answers' | 'keys' | 'outbox'>;
  content: Content;
  round: Round;
  /** The last digest sent; by default the last entry of the round's digest log. */
  previous?: DigestSnapshot | null;
  /** Defaults to the round's digest language. */
  locale?: Locale;
  now: Date;
}

/**
 * Reads what a digest needs from the stores and builds it: all interviews of the round, the invitations of the
 * outbox, the previous digest, and — from k completed interviews on — the R numbers of the export for the quotes.
 */
export async function collectDigest(input: CollectInput): Promise<Digest> {
  const { stores, content, round } = input;
  const guide = content.guides.get(round.guide);
  const deck = content.decks.get(round.deck);
  if (!guide) throw new Error(`round "${round.id}" uses guide "${round.guide}", which is not in the content`);
  if (!deck) throw new Error(`round "${round.id}" uses deck "${round.deck}", which is not in the content`);

  const interviews: InterviewRecord[] = [];
  for await (const record of stores.answers.listInterviews(round.id)) interviews.push(record);
  const invited = (await stores.outbox.list(round.id)).filter((j) => j.kind === 'invite').length;
  let previous = input.previous;
  if (previous === undefined) {
    const log = await stores.answers.digestLog(round.id);
    const last = log[log.length - 1];
    previous = last ? { at: last.at, invited: last.invited, completed: last.completed, inProgress: last.inProgress } : null;
  }

  // The R numbers exactly as the export derives them: over the completed interviews, from the key store's tokens.
  // Not asked for below k (no quotes then), nor once the round's keys are destroyed (then it has no quotes).
  const completed = interviews.filter((r) => r.completedAt).map((r) => r.code);
  const numbers = completed.length >= round.digest.k && !round.keysDestroyedAt
    ? numberCodes(await stores.keys.numberTokens(round.id, completed))
    : new Map<string, string>();

  const digest = buildDigest({ round, guide, deck, interviews, invited, previous, numberCodes: numbers, locale: input.locale, now: input.now });
  // The final digest of a closed round also shows the viewpoints that at least k participants share.
  if (round.status === 'closed' && digest.details) {
    digest.viewpoints = await analyseRound(stores, content, round.id, { locale: digest.locale })
      .then((a) => viewpointsSection(a.result, a.statements, digest.locale, round.digest.k), () => null);
  }
  return digest;
}
