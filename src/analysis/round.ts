import type { Content } from '../content/load.js';
import type { Deck, Guide, Round } from '../content/schema.js';
import type { InterviewRecord } from '../interview/types.js';
import { compareLetterCodes, numberCodes } from '../export/codes.js';
import { chooseRound } from '../export/index.js';
import { buildModel, type Statement } from '../export/model.js';
import type { Stores } from '../ports/stores.js';
import type { AnalysisOptions } from './analyse.js';
import { AnalysisError } from './errors.js';

/*
 * A round's sorts, read from the stores as the research export reads them: completed interviews only, under their
 * per-round R numbers (R1..Rn, from the key store's random tokens), in that order. Each sort holds the column of every
 * competency of the deck, in deck order; a card the participant did not pick counts as 0, as in the PQMethod export.
 * The follow-up answers come along as quote candidates, with the participant's consent to be quoted; nothing
 * identifying is read.
 */

/** One free-text follow-up answer on a card: what a quote for the report may be made of. */
export interface QuoteCandidate {
  /** Index of the sort in RoundData.sorts. */
  sort: number;
  /** The R number. */
  code: string;
  /** Index of the statement (competency) in deck order. */
  statement: number;
  /** Where the participant placed the card. */
  column: number;
  /** The follow-up question's id. */
  question: string;
  text: string;
  /** The participant agreed to be quoted. */
  mayQuote: boolean;
}

export interface RoundData {
  round: Round;
  guide: Guide;
  deck: Deck;
  statements: Statement[];
  /** R numbers, in sort order. */
  sortNames: string[];
  sorts: number[][];
  /** How many cards each sort placed (the rest count as 0). */
  placed: number[];
  scale: { min: number; max: number };
  quotes: QuoteCandidate[];
}

async function completedInterviews(stores: Pick<Stores, 'answers'>, roundId: string): Promise<InterviewRecord[]> {
  const out: InterviewRecord[] = [];
  for await (const record of stores.answers.listInterviews(roundId)) if (record.completedAt) out.push(record);
  return out.sort((a, b) => compareLetterCodes(a.code, b.code));
}

export async function loadRoundData(
  stores: Pick<Stores, 'answers' | 'keys'>,
  content: Content,
  roundId?: string,
): Promise<RoundData> {
  const round = await chooseRound(stores.answers, roundId);
  const guide = content.guides.get(round.guide);
  const deck = content.decks.get(round.deck);
  if (!guide) throw new AnalysisError(`round "${round.id}" uses guide "${round.guide}", which is not in the content`);
  if (!deck) throw new AnalysisError(`round "${round.id}" uses deck "${round.deck}", which is not in the content`);
  const interviews = await completedInterviews(stores, round.id);
  if (interviews.length === 0)
    throw new AnalysisError(`round "${round.id}" has no completed interviews yet: nothing to analyse`);
  const codes = interviews.map((r) => r.code);
  const tokens = await stores.keys.numberTokens(round.id, codes);
  const model = buildModel({ round, guide, deck, interviews, numbers: numberCodes(codes, tokens) });

  const sortNames = model.sorts.map((s) => s.participant);
  const sorts = model.sorts.map((s) => model.statements.map((st) => s.placement[st.competency.id] ?? 0));
  const placed = model.sorts.map((s) => Object.keys(s.placement).length);
  const indexOfSort = new Map(sortNames.map((name, j) => [name, j]));
  const indexOfStatement = new Map(model.statements.map((s, i) => [s.competency.id, i]));
  const followUps = guide.steps.find((s) => s.kind === 'followUps');
  const textQuestions = new Set(
    followUps && 'questions' in followUps ? followUps.questions.filter((q) => q.type === 'text').map((q) => q.id) : [],
  );
  const quotes: QuoteCandidate[] = model.answers
    .filter(
      (a) =>
        followUps &&
        a.step === followUps.id &&
        a.competency !== null &&
        a.column !== null &&
        textQuestions.has(a.question),
    )
    .map((a) => ({
      sort: indexOfSort.get(a.participant)!,
      code: a.participant,
      statement: indexOfStatement.get(a.competency!)!,
      column: a.column!,
      question: a.question,
      text: a.text,
      mayQuote: a.mayQuote,
    }));
  return {
    round,
    guide,
    deck,
    statements: model.statements,
    sortNames,
    sorts,
    placed,
    scale: { min: guide.scale.min, max: guide.scale.max },
    quotes,
  };
}

/** The analysis options a round implies: its R numbers, its scale (for the pooled column counts) and its k. */
export function roundOptions(data: RoundData): Pick<AnalysisOptions, 'sortNames' | 'scale' | 'k'> {
  return { sortNames: data.sortNames, scale: data.scale, k: data.round.digest.k };
}
