import type { Deck, Guide, Round } from '../content/schema.js';
import type { InterviewRecord } from '../interview/types.js';
import type { InterviewText, Stores } from '../ports/stores.js';
import { cellsKey } from './cells.js';
import { compareLetterCodes, compareNumberCodes, inTokenOrder, participantAt } from './codes.js';
import { ExportError } from './errors.js';
import { checkRecord, recordContext, type ExportInput, type RecordContext } from './model.js';

/**
 * What an export knows before it writes a row: the round's content, the letter codes of its completed interviews
 * in letter order, and their R codes in R order. The records themselves are read a page at a time while a file is
 * written, in the order that file needs, so memory holds codes (a few bytes an interview), never the interviews.
 */
export interface ExportPlan extends RecordContext {
  letters: string[];
  /** The letter codes in R order: the one at index i is participantAt(i), R(i + 1). */
  numbered: string[];
  /** The records of these codes in this order, each checked; a record that vanished since the plan is skipped. */
  read(codes: string[]): AsyncIterable<InterviewRecord>;
  /**
   * The same unparsed and unchecked, where the store keeps them as JSON text (see AnswerStore.interviewTexts), or as
   * the export cells made for this content (flagged cells; see src/export/cells.ts).
   */
  texts?: (codes: string[]) => AsyncIterable<InterviewText>;
}

export async function planExport(
  stores: Pick<Stores, 'answers' | 'keys'>,
  round: Round,
  guide: Guide,
  deck: Deck,
): Promise<ExportPlan> {
  const ctx = recordContext({ round, guide, deck });
  const letters = (await stores.answers.completedCodes(round.id)).sort(compareLetterCodes);
  if (letters.length === 0)
    throw new ExportError(`round "${round.id}" has no completed interviews yet: nothing to export`);
  // The tokens (some tens of bytes a code, in one array) die once sorted.
  const numbered = inTokenOrder(letters, await stores.keys.numberTokens(round.id, letters));
  async function* read(codes: string[]): AsyncIterable<InterviewRecord> {
    for await (const record of stores.answers.interviewsByCode(round.id, codes)) {
      checkRecord(ctx, record);
      yield record;
    }
  }
  const interviewTexts = stores.answers.interviewTexts?.bind(stores.answers);
  const key = cellsKey(ctx);
  const texts = interviewTexts && ((codes: string[]) => interviewTexts(round.id, codes, key));
  return { ...ctx, letters, numbered, read, ...(texts && { texts }) };
}

/**
 * The index in the plan's R order of each code as the store returns them: in the order asked, some perhaps left
 * out, so found by walking the plan's list forward: no second index of every code.
 */
export function numberWalk(plan: ExportPlan): (code: string) => number {
  const { numbered } = plan;
  let at = 0;
  return (code) => {
    while (at < numbered.length && numbered[at] !== code) at++;
    if (at === numbered.length) throw new ExportError(`the store returned interview ${code} out of order`);
    return at++;
  };
}

/** What the store hands out for the plan's interviews in R order, each with its R code. */
export async function* numberedTexts(
  plan: ExportPlan,
  texts: (codes: string[]) => AsyncIterable<InterviewText>,
): AsyncIterable<{ stored: InterviewText; participant: string }> {
  const indexOf = numberWalk(plan);
  for await (const stored of texts(plan.numbered)) yield { stored, participant: participantAt(indexOf(stored.code)) };
}

/** The plan's records in R order, each with its R code. */
export async function* byNumber(plan: ExportPlan): AsyncIterable<{ record: InterviewRecord; participant: string }> {
  const indexOf = numberWalk(plan);
  for await (const record of plan.read(plan.numbered))
    yield { record, participant: participantAt(indexOf(record.code)) };
}

/** Where a letter code stands in the plan's letter order (a binary search: the list is sorted). */
export function letterRank(plan: ExportPlan, code: string): number {
  const { letters } = plan;
  let low = 0;
  let high = letters.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const order = compareLetterCodes(letters[middle] ?? '', code);
    if (order === 0) return middle;
    if (order < 0) low = middle + 1;
    else high = middle - 1;
  }
  throw new ExportError(`interview ${code} is not among the round's completed interviews`);
}

/** A plan over records already in memory (a fixture; a round read for analysis); their R codes are R1..Rn. */
export function planOf(input: ExportInput): ExportPlan {
  const ctx = recordContext(input);
  const records = new Map(input.interviews.map((r) => [r.code, r]));
  const letters = [...records.keys()].sort(compareLetterCodes);
  const numbered = letters
    .map((code) => {
      const participant = input.numbers.get(code);
      if (!participant) throw new ExportError(`interview ${code} has no number code`);
      return { code, participant };
    })
    .sort((a, b) => compareNumberCodes(a.participant, b.participant))
    .map(({ code, participant }, i) => {
      if (participant !== participantAt(i)) throw new ExportError(`the R codes are not R1..R${letters.length}`);
      return code;
    });
  async function* read(codes: string[]): AsyncIterable<InterviewRecord> {
    for (const code of codes) {
      const record = records.get(code);
      if (!record) continue;
      checkRecord(ctx, record);
      yield record;
    }
  }
  return { ...ctx, letters, numbered, read };
}
