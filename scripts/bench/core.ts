import { loadContent } from '../../src/content/load.js';
import { afterConsent, createRecord, fingerprint, handleTurn } from '../../src/interview/engine.js';
import type { InterviewView } from '../../src/interview/cardViews.js';
import type { Input, InterviewContext, Participant, Reply } from '../../src/interview/types.js';
import { CardTemplates } from '../../src/teams/cardTemplates.js';
import { CardAutopilot } from '../support/cardAutopilot.js';
import { ROUND } from './constants.js';

/**
 * The core phase, in this process: what a turn computes beyond the framework, without HTTP, botbuilder or a store.
 * Whole interviews are walked once through the pure engine (the autopilot answering each rendered card), then
 * handleTurn is replayed over every recorded turn and every card of the replies is expanded again, each timed in
 * CPU time (process.cpuUsage, so garbage collection counts) over several passes.
 */

export interface CoreResult {
  interviews: number;
  turns: number;
  cards: number;
  handleTurnUsPerTurn: number;
  cardExpandUsPerCard: number;
}

interface TracedTurn {
  ctx: InterviewContext;
  participant: Participant;
  input: Input;
}

const cardsOf = (replies: Reply[]) => replies.flatMap((r) => (r.kind === 'card' ? [r.card] : []));

/** One whole interview through the engine as the session runs it, the record kept in memory. */
function walk(
  ctx: InterviewContext,
  seed: number,
  templates: CardTemplates,
  turns: TracedTurn[],
  views: InterviewView[],
) {
  const autopilot = new CardAutopilot({ seed, choices: 'random' });
  let participant: Participant = { status: 'new' };
  let input: Input = { kind: 'start' };
  for (;;) {
    turns.push({ ctx, participant, input });
    const result = handleTurn(ctx, participant, input);
    let replies = result.replies;
    const { outcome } = result;
    if (outcome.kind === 'save') participant = { status: 'active', record: outcome.record };
    if (outcome.kind === 'consented') {
      const submitted = input.kind === 'submit' ? fingerprint(ctx.submitKey, input.data) : null;
      const record = createRecord(ctx, `B${seed}`, outcome.quote, submitted);
      participant = { status: 'active', record };
      replies = [...replies, ...afterConsent(ctx, record)];
    }
    const shown = cardsOf(replies);
    views.push(...shown, ...(result.submitted ? [result.submitted] : []));
    const last = shown.at(-1);
    const move = last && autopilot.respond(templates.render(last).content);
    if (!move) break;
    input = { kind: 'submit', data: move.value };
  }
  if (participant.status !== 'active' || !participant.record.completedAt)
    throw new Error(`core phase: interview ${seed} did not complete`);
}

/** CPU microseconds per item of `run` over every pass but the first, which warms up. */
function cpuPerItem<T>(passes: T[][], run: (item: T) => unknown): number {
  const [warm = [], ...timed] = passes;
  warm.forEach(run);
  const start = process.cpuUsage();
  for (const items of timed) items.forEach(run);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / timed.reduce((n, items) => n + items.length, 0);
}

/**
 * The turns once per pass, each pass with records of its own: in the server every turn reads its record afresh
 * from the store, so a pass must not find what an earlier pass left on the same record objects.
 */
function freshPasses(turns: TracedTurn[], passes: number): TracedTurn[][] {
  return Array.from({ length: passes + 1 }, () =>
    turns.map((t) => ({ ...t, participant: JSON.parse(JSON.stringify(t.participant)) as Participant })),
  );
}

/** root: where dialogs/ and cards/ are. */
export function phaseCore(root: string, interviews = 40, passes = 5): CoreResult {
  const content = loadContent(root);
  const templates = new CardTemplates(root);
  const round = content.rounds.get(ROUND)!;
  const turns: TracedTurn[] = [];
  const views: InterviewView[] = [];
  for (let i = 0; i < interviews; i++) {
    const ctx: InterviewContext = {
      guide: content.guides.get(round.guide)!,
      deck: content.decks.get(round.deck)!,
      round,
      locale: i % 2 ? 'en' : 'nl',
      now: new Date(Date.parse(`${round.opensAt}T09:00:00Z`) + i * 60_000),
      participantName: 'Sanne de Vries',
      submitKey: Buffer.alloc(32, i),
    };
    walk(ctx, i + 1, templates, turns, views);
  }
  return {
    interviews,
    turns: turns.length,
    cards: views.length,
    handleTurnUsPerTurn: cpuPerItem(freshPasses(turns, passes), (t) => handleTurn(t.ctx, t.participant, t.input)),
    cardExpandUsPerCard: cpuPerItem(
      Array.from({ length: passes + 1 }, () => views),
      (view) => templates.render(view),
    ),
  };
}
