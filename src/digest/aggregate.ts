import { DigestMinN, type Deck, type Guide, type Question, type Round } from '../content/schema.js';
import type { InterviewRecord, Locale } from '../interview/types.js';
import { localize } from '../interview/text.js';
import type { DetailGate } from './gate.js';
import { round1 } from './messages.js';
import { pickQuotes, type QuoteGroup } from './quotes.js';
import type { ViewpointsSection } from '../analysis/summary.js';
import { defined } from '../defined.js';

/*
 * The digest for the WIJ Academie: counts over completed interviews, nothing per person.
 *
 * Privacy: below k completed interviews the digest holds the response counts only, and after a detail section it
 * holds them only until k more completed (src/digest/gate.ts), so that two digests cannot be subtracted. Quotes carry
 * no participant number and are sorted by their text. Beyond that, nothing is broken down
 * by background groups (age band, experience, work area) at all: every number is over all completed interviews of
 * the round, which number at least k. So the rule "no cell is broken down by a group smaller than k" holds trivially.
 * Should a breakdown be added later, it must suppress every group with fewer than k completed interviews.
 */

/** What the last digest said, to report the change: counts only (the answers store's digest log entry fits). */
export interface DigestSnapshot {
  at: string;
  invited: number;
  completed: number;
  inProgress: number;
  /** Completed interviews the details were over; 0 when the digest had none. */
  details: number;
}

export interface DigestResponse {
  /** Invitations sent through the outbox; 0 in an open round. */
  invited: number;
  /** An open round without invitations: "invited" does not apply. */
  openRound: boolean;
  completed: number;
  inProgress: number;
  change: { since: string; invited: number; completed: number; inProgress: number } | null;
}

export interface CompetencyRow {
  id: string;
  name: string;
  /** Participants per column, from the scale's min to its max. */
  counts: number[];
  notPicked: number;
  /** How many placed it (picked it). */
  n: number;
  /** Mean column of those who placed it, 1 decimal; null when n is below the round's digest.minN.mean. */
  mean: number | null;
  /** Sample standard deviation (n − 1) of their columns, 1 decimal; null when n is below digest.minN.spread. */
  sd: number | null;
}

export interface ClusterTable {
  id: string;
  name: string;
  rows: CompetencyRow[];
}

export interface RankedByMean {
  id: string;
  name: string;
  mean: number;
  n: number;
}
export interface RankedByCount {
  id: string;
  name: string;
  count: number;
  n: number;
}
export interface RankedBySpread {
  id: string;
  name: string;
  sd: number;
  mean: number;
  n: number;
}
export interface RatingItem {
  id: string;
  name: string;
  mean: number;
  n: number;
}

export interface DigestDetails {
  /** Completed interviews: what every number is over. */
  n: number;
  /** The scale's columns, min..max, with their labels. */
  columns: { value: number; label: string }[];
  clusters: ClusterTable[];
  most: { byMean: RankedByMean[]; byCount: RankedByCount[] };
  least: { byMean: RankedByMean[]; byCount: RankedByCount[] };
  /** Competencies nobody picked, in deck order. */
  neverPicked: { id: string; name: string }[];
  disagreement: RankedBySpread[];
  /** The follow-ups' rating question (attention in the WIJ team); null when the guide has none. */
  attention: { question: string; min: number; max: number; items: RatingItem[] } | null;
  quotes: QuoteGroup[];
}

export interface Digest {
  locale: Locale;
  round: { id: string; name: string; status: Round['status'] };
  generatedAt: string;
  k: number;
  /** The fewest answers behind each statistic (the round's digest.minN). */
  minN: Round['digest']['minN'];
  response: DigestResponse;
  /** Null when the gate holds the details back: then the digest says how many responded and when details follow. */
  details: DigestDetails | null;
  /** Whether details are shown, over how many the last ones were, and from when new ones follow. */
  gate: DetailGate;
  /** What to keep (the digest log) to report the change in the next digest. */
  snapshot: DigestSnapshot;
  /** The shared viewpoints (Q factor analysis), in the final digest of a closed round; null when none reaches k. */
  viewpoints?: ViewpointsSection | null;
}

export interface DigestInput {
  round: Round;
  guide: Guide;
  deck: Deck;
  /** All interviews of the round: completed ones count, the others are "in progress". */
  interviews: InterviewRecord[];
  /** Invitations sent (outbox jobs of kind "invite"). */
  invited: number;
  /** The last digest sent, or null for the first. */
  previous: DigestSnapshot | null;
  /** Whether this digest may show details (src/digest/gate.ts); by default from k completed interviews on. */
  gate?: DetailGate;
  /** Defaults to the round's digest language. */
  locale?: Locale;
  now: Date;
}

/** How many competencies each ranked list shows. */
export const LIST_LENGTH = 5;

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Sample standard deviation (n − 1). */
function sampleSd(values: number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
}

/** The round's lower limits; a round stored before they existed gets the defaults. */
function minNOf(round: Round): Round['digest']['minN'] {
  return DigestMinN.parse(round.digest.minN ?? {});
}

function rows(input: DigestInput, completed: InterviewRecord[], locale: Locale): ClusterTable[] {
  const { min, max } = input.guide.scale;
  const least = minNOf(input.round);
  return input.deck.clusters.map((cluster) => ({
    id: cluster.id,
    name: localize(cluster.name, locale),
    rows: cluster.competencies.map((c) => {
      const columns = completed
        .map((r) => r.placement[c.id])
        .filter((v): v is number => v !== undefined && Number.isInteger(v) && v >= min && v <= max);
      const counts = Array.from({ length: max - min + 1 }, (_, i) => columns.filter((v) => v === min + i).length);
      return {
        id: c.id,
        name: localize(c.name, locale),
        counts,
        notPicked: completed.length - columns.length,
        n: columns.length,
        mean: columns.length >= least.mean ? round1(mean(columns)) : null,
        sd: columns.length >= Math.max(2, least.spread) ? round1(sampleSd(columns)) : null,
      };
    }),
  }));
}

/** The follow-ups' rating question (the guide's: attention in the WIJ team, 1–10). */
function ratingQuestion(guide: Guide): (Question & { type: 'rating' }) | null {
  const step = guide.steps.find((s) => s.kind === 'followUps');
  if (!step || step.kind !== 'followUps') return null;
  return step.questions.find((q): q is Question & { type: 'rating' } => q.type === 'rating') ?? null;
}

function attentionOf(
  input: DigestInput,
  completed: InterviewRecord[],
  locale: Locale,
  order: Map<string, number>,
  names: Map<string, string>,
): DigestDetails['attention'] {
  const question = ratingQuestion(input.guide);
  if (!question) return null;
  const items: RatingItem[] = [];
  for (const id of order.keys()) {
    const ratings = completed
      .map((r) => r.followUps[id]?.answers[question.id])
      .map((v) => (v === null || v === undefined || v === '' ? NaN : Number(v)))
      .filter((v) => Number.isFinite(v) && v >= question.min && v <= question.max);
    if (ratings.length >= minNOf(input.round).attention)
      items.push({ id, name: names.get(id)!, mean: round1(mean(ratings)), n: ratings.length });
  }
  items.sort((a, b) => a.mean - b.mean || b.n - a.n || order.get(a.id)! - order.get(b.id)!);
  return { question: localize(question.text, locale), min: question.min, max: question.max, items };
}

export function buildDigest(input: DigestInput): Digest {
  const locale = input.locale ?? input.round.digest.language;
  const { k } = input.round.digest;
  const completed = input.interviews.filter((r) => r.completedAt);
  const inProgress = input.interviews.length - completed.length;
  const openRound = input.round.audience === 'open' && input.invited === 0;
  const previous = input.previous;
  const given = input.gate ?? { publish: true, last: 0, nextAt: k };
  // Never below k, whatever the gate says (k may have been raised since the period was first built).
  const gate = { ...given, publish: given.publish && completed.length >= k };
  const response: DigestResponse = {
    invited: input.invited,
    openRound,
    completed: completed.length,
    inProgress,
    change: previous
      ? {
          since: previous.at,
          invited: input.invited - previous.invited,
          completed: completed.length - previous.completed,
          inProgress: inProgress - previous.inProgress,
        }
      : null,
  };
  const digest: Digest = {
    locale,
    round: { id: input.round.id, name: localize(input.round.name, locale), status: input.round.status },
    generatedAt: input.now.toISOString(),
    k,
    minN: minNOf(input.round),
    response,
    details: null,
    gate,
    snapshot: {
      at: input.now.toISOString(),
      invited: input.invited,
      completed: completed.length,
      inProgress,
      details: gate.publish ? completed.length : 0,
    },
  };
  if (!gate.publish) return digest;

  const clusters = rows(input, completed, locale);
  const all = clusters.flatMap((c) => c.rows);
  const order = new Map(all.map((r, i) => [r.id, i]));
  const names = new Map(all.map((r) => [r.id, r.name]));
  const byDeck = (a: { id: string }, b: { id: string }) => order.get(a.id)! - order.get(b.id)!;
  const { min, max } = input.guide.scale;
  // "+2 or +3" and "−2 or −3": the two outer columns at each end of the scale.
  const countIn = (r: CompetencyRow, column: number) => defined(r.counts[column - min], 'count of a scale column');
  const high = (r: CompetencyRow) => countIn(r, max) + countIn(r, max - 1);
  const low = (r: CompetencyRow) => countIn(r, min) + countIn(r, min + 1);

  // A mean of few columns gives away answers, it is not a finding: rankings by mean only where a mean is shown.
  const placed = all.filter((r): r is CompetencyRow & { mean: number } => r.mean !== null);
  const mostByMean = [...placed].sort((a, b) => b.mean - a.mean || b.n - a.n || byDeck(a, b)).slice(0, LIST_LENGTH);
  const shown = new Set(mostByMean.map((r) => r.id));
  // The least fitting never repeat the best fitting (with few cards placed the two ends would meet).
  const leastByMean = placed
    .filter((r) => !shown.has(r.id))
    .sort((a, b) => a.mean - b.mean || b.n - a.n || byDeck(a, b))
    .slice(0, LIST_LENGTH);
  const byMean = (r: CompetencyRow & { mean: number }): RankedByMean => ({
    id: r.id,
    name: r.name,
    mean: r.mean,
    n: r.n,
  });
  // "3 of the 4 who picked it" is a share: it needs as many placements as a mean.
  const counted = (count: (r: CompetencyRow) => number, outer: (r: CompetencyRow) => number) =>
    all
      .filter((r) => count(r) > 0 && r.n >= minNOf(input.round).mean)
      .sort((a, b) => count(b) - count(a) || outer(b) - outer(a) || byDeck(a, b))
      .slice(0, LIST_LENGTH)
      .map((r): RankedByCount => ({ id: r.id, name: r.name, count: count(r), n: r.n }));

  const disagreement = all
    .filter((r): r is CompetencyRow & { sd: number; mean: number } => r.sd !== null && r.mean !== null && r.sd > 0)
    .sort((a, b) => b.sd - a.sd || b.n - a.n || byDeck(a, b))
    .slice(0, LIST_LENGTH)
    .map((r) => ({ id: r.id, name: r.name, sd: r.sd, mean: r.mean, n: r.n }));

  digest.details = {
    n: completed.length,
    columns: Array.from({ length: max - min + 1 }, (_, i) => ({
      value: min + i,
      label: localize(defined(input.guide.scale.labels[String(min + i)], 'label of a scale column'), locale),
    })),
    clusters,
    most: { byMean: mostByMean.map(byMean), byCount: counted(high, (r) => countIn(r, max)) },
    least: { byMean: leastByMean.map(byMean), byCount: counted(low, (r) => countIn(r, min)) },
    neverPicked: all.filter((r) => r.n === 0).map((r) => ({ id: r.id, name: r.name })),
    disagreement,
    attention: attentionOf(input, completed, locale, order, names),
    quotes: pickQuotes({ guide: input.guide, deck: input.deck, round: input.round, interviews: completed, locale }),
  };
  return digest;
}
