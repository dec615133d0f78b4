import type { Content } from '../content/load.js';
import type { Round } from '../content/schema.js';
import type { InterviewRecord, Locale } from '../interview/types.js';
import type { DigestLogEntry, Stores } from '../ports/stores.js';
import { buildDigest, type Digest, type DigestSnapshot } from './aggregate.js';
import { detailGate, previousEntry } from './gate.js';
import { analyseRound } from '../analysis/pipeline.js';
import { viewpointsSection } from '../analysis/summary.js';

export interface CollectInput {
  stores: Pick<Stores, 'answers' | 'keys' | 'outbox'>;
  content: Content;
  round: Round;
  /** The digest period being built for a channel (its log entry, if any, is what was decided for it before). */
  period?: string;
  /** The round's digest log; read from the answers store when not given. */
  log?: DigestLogEntry[];
  /** The last digest sent; by default the last log entry of another period. */
  previous?: DigestSnapshot | null;
  /** Defaults to the round's digest language. */
  locale?: Locale;
  now: Date;
}

/**
 * Reads what a digest needs from the stores and builds it: all interviews of the round, the invitations of the
 * outbox, the digest log (the previous digest, and whether details may be shown: src/digest/gate.ts).
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
  const log = input.log ?? (await stores.answers.digestLog(round.id));
  let previous = input.previous;
  if (previous === undefined) {
    const last = previousEntry(log, input.period ?? '');
    previous = last
      ? {
          at: last.at,
          invited: last.invited,
          completed: last.completed,
          inProgress: last.inProgress,
          details: last.details ?? 0,
        }
      : null;
  }
  const completedAt = interviews.flatMap((r) => (r.completedAt ? [r.completedAt] : []));
  const gate = detailGate(log, input.period ?? null, completedAt, round.digest.k);

  const digest = buildDigest({
    round,
    guide,
    deck,
    interviews,
    invited,
    previous,
    gate,
    locale: input.locale,
    now: input.now,
  });
  // The final digest of a closed round also shows the viewpoints that at least k participants share.
  if (round.status === 'closed' && digest.details) {
    digest.viewpoints = await analyseRound(stores, content, round.id, { locale: digest.locale }).then(
      (a) => viewpointsSection(a.result, a.statements, digest.locale, round.digest.k),
      () => null,
    );
  }
  return digest;
}
