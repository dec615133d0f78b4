import type { Locale } from '../interview/types.js';
import { formatAmsterdam } from '../time.js';
import type { Digest, DigestDetails } from './aggregate.js';
import { decimal, delta, digestText, signed, statusText } from './messages.js';
import { analysisText } from '../analysis/messages.js';

/*
 * The digest in words, once, for every renderer: the Teams card, the HTML page and the Markdown file say the same.
 */

export interface Fact {
  label: string;
  value: string;
  /** A share 0..1 to draw as a bar (ratings). */ bar?: number;
}
export interface RankList {
  heading: string;
  items: Fact[];
  empty: string;
}
export interface Ranking {
  heading: string;
  intro?: string;
  lists: RankList[];
}
export interface TableRow {
  name: string;
  counts: number[];
  notPicked: number;
  mean: string;
  n: number;
}
export interface ClusterView {
  name: string;
  rows: TableRow[];
}
export interface QuoteView {
  text: string;
}
export interface QuoteGroupView {
  heading: string;
  quotes: QuoteView[];
}

export interface Presentation {
  lang: Locale;
  title: string;
  subtitle: string;
  response: { heading: string; facts: Fact[]; notes: string[] };
  /** Set when the details are held back: why, and when they follow (the only thing said besides the response). */
  belowK: string | null;
  chart: { heading: string; alt: string; caption: string } | null;
  rankings: Ranking[];
  tables: {
    heading: string;
    intro: string;
    columns: string[];
    notPicked: string;
    notPickedShort: string;
    mean: string;
    competency: string;
    clusters: ClusterView[];
  } | null;
  quotes: { heading: string; intro: string; groups: QuoteGroupView[]; empty: string } | null;
  notes: { heading: string; items: string[] } | null;
}

/** "maandag 7 december 2026, 09:00" in Amsterdam time. */
export function dateTime(iso: string, locale: Locale): string {
  return formatAmsterdam(iso, "EEEE d MMMM yyyy', 'HH:mm", locale);
}

export function date(iso: string, locale: Locale): string {
  return formatAmsterdam(iso, 'd MMMM yyyy', locale);
}

type Change = NonNullable<Digest['response']['change']>;

/** "Since the previous digest (date): completed +2, in progress +1, invited +0"; an open round invites no one. */
function changeNote(locale: Locale, change: Change, openRound: boolean): string {
  const counted = (key: 'completed' | 'inProgress' | 'invited', value: number) =>
    `${digestText(locale, key).toLowerCase()} ${delta(value)}`;
  const counts = [
    counted('completed', change.completed),
    counted('inProgress', change.inProgress),
    ...(openRound ? [] : [counted('invited', change.invited)]),
  ];
  return `${digestText(locale, 'change', { date: date(change.since, locale) })}: ${counts.join(', ')}.`;
}

/** "6 (+4 sinds de vorige)": the change is labelled, a bare "+4" beside a count says nothing. */
function withChange(locale: Locale, value: number, change: number | undefined): string {
  return change === undefined
    ? String(value)
    : `${value} (${digestText(locale, 'changeShort', { delta: delta(change) })})`;
}

const plusSigned = (locale: Locale, value: number) => `${value > 0 ? '+' : ''}${decimal(locale, value)}`;

/** The shared viewpoints of a closed round, as one more ranking: per viewpoint its top and bottom competencies. */
function viewpointRankings(digest: Digest): Ranking[] {
  const section = digest.viewpoints;
  if (!section) return [];
  return [
    {
      heading: section.title,
      intro: section.intro,
      lists: section.viewpoints.map((v) => ({
        heading: analysisText(digest.locale, 'summaryViewpoint', {
          factor: v.label,
          defining: v.definingSorts,
          explained: Math.round(v.explainedVariance),
        }).replace(/\*\*/g, ''),
        items: [
          ...v.top.map((s) => ({ label: s.name, value: `+${s.z.toFixed(1)}` })),
          ...v.bottom.map((s) => ({ label: s.name, value: s.z.toFixed(1) })),
        ],
        empty: '',
      })),
    },
  ];
}

function rankings(details: DigestDetails, locale: Locale): Ranking[] {
  const n = (count: number) => digestText(locale, 'nItems', { n: count });
  const none = digestText(locale, 'none');
  const participants = (count: number, of: number) =>
    locale === 'nl' ? `${count} van ${of} die haar kozen` : `${count} of the ${of} who picked it`;
  const out: Ranking[] = [
    {
      heading: digestText(locale, 'most'),
      lists: [
        {
          heading: digestText(locale, 'byMean'),
          items: details.most.byMean.map((r) => ({
            label: r.name,
            value: `${plusSigned(locale, r.mean)} (${n(r.n)})`,
          })),
          empty: none,
        },
        {
          heading: digestText(locale, 'byCountHigh'),
          items: details.most.byCount.map((r) => ({ label: r.name, value: participants(r.count, r.n) })),
          empty: none,
        },
      ],
    },
    {
      heading: digestText(locale, 'least'),
      lists: [
        {
          heading: digestText(locale, 'byMeanLow'),
          items: details.least.byMean.map((r) => ({
            label: r.name,
            value: `${plusSigned(locale, r.mean)} (${n(r.n)})`,
          })),
          empty: none,
        },
        {
          heading: digestText(locale, 'byCountLow'),
          items: details.least.byCount.map((r) => ({ label: r.name, value: participants(r.count, r.n) })),
          empty: none,
        },
        ...(details.neverPicked.length
          ? [
              {
                heading: digestText(locale, 'neverPicked'),
                items: details.neverPicked.map((r) => ({ label: r.name, value: '' })),
                empty: none,
              },
            ]
          : []),
      ],
    },
    {
      heading: digestText(locale, 'disagreement'),
      lists: [
        {
          heading: '',
          items: details.disagreement.map((r) => ({
            label: r.name,
            value:
              `sd ${decimal(locale, r.sd)} · ${digestText(locale, 'mean')} ${plusSigned(locale, r.mean)}` +
              ` (${n(r.n)})`,
          })),
          empty: none,
        },
      ],
    },
  ];
  if (details.attention) {
    const { min, max } = details.attention;
    out.push({
      heading: digestText(locale, 'attention'),
      intro: digestText(locale, 'attentionIntro', { min: details.attention.min, max: details.attention.max }),
      lists: [
        {
          heading: '',
          items: details.attention.items.map((r) => ({
            label: r.name,
            value: `${decimal(locale, r.mean)} (${n(r.n)})`,
            bar: (r.mean - min) / Math.max(1, max - min),
          })),
          empty: none,
        },
      ],
    });
  }
  return out;
}

/** Why a digest has no details, and when (or that) they follow. */
function heldBack(digest: Digest): string {
  const { k, gate } = digest;
  const vars = { k, next: gate.nextAt, last: gate.last };
  if (digest.round.status === 'closed')
    return digestText(digest.locale, gate.last ? 'closedHeldBack' : 'closedBelowK', vars);
  return digestText(digest.locale, gate.last ? 'heldBack' : 'belowK', vars);
}

export function present(digest: Digest): Presentation {
  const locale = digest.locale;
  const { response, details } = digest;
  const change = response.change;
  const facts: Fact[] = [
    {
      label: digestText(locale, 'invited'),
      value: response.openRound
        ? digestText(locale, 'openRound')
        : withChange(locale, response.invited, change?.invited),
    },
    { label: digestText(locale, 'completed'), value: withChange(locale, response.completed, change?.completed) },
    { label: digestText(locale, 'inProgress'), value: withChange(locale, response.inProgress, change?.inProgress) },
  ];
  const notes = [change ? changeNote(locale, change, response.openRound) : digestText(locale, 'firstDigest')];
  const title = `${digestText(locale, 'title')} · ${digest.round.name}`;
  const asOf = digestText(locale, 'asOf', { date: dateTime(digest.generatedAt, locale) });
  const subtitle = `${asOf} · ${digestText(locale, 'roundIs', { status: statusText(locale, digest.round.status) })}`;
  const base: Presentation = {
    lang: locale,
    title,
    subtitle,
    response: { heading: digestText(locale, 'response'), facts, notes },
    belowK: null,
    chart: null,
    rankings: [],
    tables: null,
    quotes: null,
    notes: null,
  };
  if (!details) return { ...base, belowK: heldBack(digest) };

  return {
    ...base,
    chart: {
      heading: digestText(locale, 'chart'),
      alt: digestText(locale, 'chartAlt'),
      caption: digestText(locale, 'chartSubtitle', { n: details.n }),
    },
    rankings: [...rankings(details, locale), ...viewpointRankings(digest)],
    tables: {
      heading: digestText(locale, 'tables'),
      intro: digestText(locale, 'tablesIntro'),
      columns: details.columns.map((c) => signed(c.value)),
      notPicked: digestText(locale, 'notPicked'),
      notPickedShort: digestText(locale, 'notPickedShort'),
      mean: digestText(locale, 'mean'),
      competency: digestText(locale, 'competency'),
      clusters: details.clusters.map((c) => ({
        name: c.name,
        rows: c.rows.map((r) => ({
          name: r.name,
          counts: r.counts,
          notPicked: r.notPicked,
          mean: r.mean === null ? '' : plusSigned(locale, r.mean),
          n: r.n,
        })),
      })),
    },
    quotes: {
      heading: digestText(locale, 'quotes'),
      intro: digestText(locale, 'quotesIntro'),
      groups: details.quotes
        .filter((g) => g.quotes.length)
        .map((g) => ({ heading: g.heading, quotes: g.quotes.map((q) => ({ text: q.text })) })),
      empty: digestText(locale, 'noQuotes'),
    },
    notes: {
      heading: digestText(locale, 'footnotes'),
      items: [
        digestText(locale, 'noteMean'),
        digestText(locale, 'noteSpread'),
        digestText(locale, 'noteMinN', { ...digest.minN, k: digest.k }),
        digestText(locale, 'notePrivacy'),
      ],
    },
  };
}
