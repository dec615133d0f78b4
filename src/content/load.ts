import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { z } from 'zod';
import { Deck, Guide, Round } from './schema.js';

/** A content file that cannot be used: the message names the file, the place in it and the problem. */
export class ContentError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Content file ${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ContentError';
  }
}

export interface Content {
  guides: Map<string, Guide>;
  decks: Map<string, Deck>;
  rounds: Map<string, Round>;
}

function formatPath(path: PropertyKey[]): string {
  return path.length === 0
    ? '(top level)'
    : path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '');
}

export function parseContentFile<S extends z.ZodType>(schema: S, file: string, root = process.cwd()): z.output<S> {
  const shown = relative(root, file) || file;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ContentError(shown, [`not readable as JSON: ${(err as Error).message}`]);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new ContentError(
      shown,
      result.error.issues.map((i) => `at ${formatPath(i.path)}: ${i.message}`),
    );
  }
  return result.data;
}

function loadDir<S extends z.ZodType>(schema: S, dir: string, root: string): Map<string, z.output<S>> {
  const out = new Map<string, z.output<S>>();
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const file = join(dir, name);
    const item = parseContentFile(schema, file, root) as z.output<S> & { id: string };
    if (out.has(item.id))
      throw new ContentError(relative(root, file), [
        `at id: "${item.id}" is used by another file in ${relative(root, dir)}`,
      ]);
    out.set(item.id, item);
  }
  return out;
}

/** Loads and cross-checks the guides (dialogs/guides), decks (cards/decks) and rounds (dialogs/rounds). */
export function loadContent(root = process.cwd()): Content {
  const guides = loadDir(Guide, join(root, 'dialogs', 'guides'), root);
  const decks = loadDir(Deck, join(root, 'cards', 'decks'), root);
  const rounds = loadDir(Round, join(root, 'dialogs', 'rounds'), root);
  for (const round of rounds.values()) {
    const file = join('dialogs', 'rounds', `${round.id}.json`);
    if (!round.contact)
      throw new ContentError(file, [
        'at contact: a round needs a contact for participants\' questions: {"name": {"nl": ..., "en": ...}, "email": ...} or "teams": a Teams link',
      ]);
    if (!guides.has(round.guide))
      throw new ContentError(file, [`at guide: no guide with id "${round.guide}" in dialogs/guides`]);
    const deck = decks.get(round.deck);
    if (!deck) throw new ContentError(file, [`at deck: no deck with id "${round.deck}" in cards/decks`]);
    const guide = guides.get(round.guide)!;
    for (const column of round.extremeColumns) {
      if (column < guide.scale.min || column > guide.scale.max)
        throw new ContentError(file, [
          `at extremeColumns: ${column} is outside the scale ${guide.scale.min}..${guide.scale.max}`,
        ]);
    }
    const total = deck.clusters.reduce((n, c) => n + c.competencies.length, 0);
    if ((round.minCards ?? deck.minCards) > total)
      throw new ContentError(file, [`at minCards: more than the ${total} cards of deck "${deck.id}"`]);
  }
  return { guides, decks, rounds };
}
