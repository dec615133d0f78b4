/**
 * The text the scrubber's patterns read, and the way back to what was typed. The patterns see NFKC (full-width
 * digits and letters become ASCII, a non-breaking space a space) without invisible characters (zero-width, bidi
 * controls, soft hyphen), so that "０６－１２…" or an e-mail with a zero-width space inside is still found; what is
 * stored is the typed text itself with only the found spans replaced and the invisible characters left out.
 */

import { defined } from '../defined.js';

/** Characters that change nothing a reader sees but can split an identifier so that a pattern misses it. */
const INVISIBLE = /^[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]$/u;
const ZWJ = '\u200D';
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
/** A base character with its combining marks: NFKC is applied per cluster so every output unit maps back to one. */
const CLUSTER = /\P{M}\p{M}*|\p{M}+/gsu;

interface Cluster {
  start: number;
  end: number;
  dropped: boolean;
}

export interface NormalisedText {
  /** What the patterns read. */
  readonly text: string;
  /** For each UTF-16 unit of `text`, the index of the typed cluster it came from. */
  readonly clusterOf: readonly number[];
  readonly clusters: readonly Cluster[];
  readonly original: string;
}

/** A zero-width joiner inside an emoji sequence (👩‍👧) is part of the emoji, not a way to hide something. */
function joinsEmoji(original: string, at: number): boolean {
  const before = original.slice(Math.max(0, at - 2), at);
  const after = original.slice(at + 1, at + 3);
  return PICTOGRAPH.test(before) && PICTOGRAPH.test(after);
}

/**
 * Characters that are each a cluster of their own, not invisible and left alone by NFKC: ASCII, the Latin-1
 * letters, dashes and curly quotes. A text of only these is what most answers are, and its own normal form.
 */
export const PLAIN = /^[\t\n\r\x20-\x7E\u00C0-\u00FF\u2013\u2014\u2018\u2019\u201C\u201D]*$/;

export function normalise(original: string): NormalisedText {
  const clusters: Cluster[] = [];
  const clusterOf: number[] = [];
  if (PLAIN.test(original)) {
    for (let i = 0; i < original.length; i++) {
      clusters.push({ start: i, end: i + 1, dropped: false });
      clusterOf.push(i);
    }
    return { text: original, clusterOf, clusters, original };
  }
  let text = '';
  for (const m of original.matchAll(CLUSTER)) {
    const start = m.index;
    const dropped = INVISIBLE.test(m[0]) && !(m[0] === ZWJ && joinsEmoji(original, start));
    clusters.push({ start, end: start + m[0].length, dropped });
    if (dropped) continue;
    const norm = m[0].normalize('NFKC');
    text += norm;
    for (let i = 0; i < norm.length; i++) clusterOf.push(clusters.length - 1);
  }
  return { text, clusterOf, clusters, original };
}

/** A found span in `text` coordinates. */
export interface Span<K extends string = string> {
  start: number;
  end: number;
  kind: K;
}

/** The typed cluster a unit of `text` came from: normalise gives every unit one. */
function clusterAt(n: NormalisedText, unit: number): Cluster {
  return defined(n.clusters[defined(n.clusterOf[unit], 'cluster of a text unit')], 'cluster of a text unit');
}

/** The span in the typed text's coordinates: from its first cluster's start to its last cluster's end. */
export function toOriginal<K extends string>(n: NormalisedText, span: Span<K>): Span<K> {
  return {
    start: clusterAt(n, span.start).start,
    end: clusterAt(n, span.end - 1).end,
    kind: span.kind,
  };
}

/** The typed text with each span (typed coordinates, sorted, not overlapping) replaced and invisible characters left out. */
export function render<K extends string>(
  n: NormalisedText,
  spans: readonly Span<K>[],
  marker: (kind: K) => string,
): string {
  let out = '';
  let next = 0;
  for (const c of n.clusters) {
    let span = spans[next];
    while (span && span.end <= c.start) span = spans[++next];
    if (span && c.start >= span.start && c.end <= span.end) {
      if (c.start === span.start) out += marker(span.kind);
    } else if (!c.dropped) {
      out += n.original.slice(c.start, c.end);
    }
  }
  return out;
}
