import type { Content } from '../../content/load.js';
import type { Locale } from '../../interview/types.js';
import type { Round } from '../../content/schema.js';
import type { InterviewRecord } from '../../interview/types.js';
import type { AnswerStore, Stores } from '../../storage/ports.js';
import { compareLetterCodes, numberCodes } from './codes.js';
import { csvFiles } from './csv.js';
import type { Delimiter } from './csvText.js';
import { ExportError } from './errors.js';
import type { ExportFile } from './file.js';
import { jsonFile } from './json.js';
import { buildModel } from './model.js';
import { pqmethodFiles } from './pqmethod.js';

export { ExportError } from './errors.js';
export type { ExportFile } from './file.js';
export type { Delimiter } from './csvText.js';

export const EXPORT_FORMATS = ['csv', 'json', 'pqmethod'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRequest {
  stores: Pick<Stores, 'answers' | 'keys'>;
  content: Content;
  /** Without it (or empty): the most recently opened round. */
  roundId?: string;
  format: ExportFormat;
  /** CSV only; "," by default, ";" for Dutch Excel. */
  delimiter?: Delimiter;
  /** CSV only: column names in this language, with a codebook file; without it the headers are the stable ids. */
  locale?: Locale;
}

/** How a researcher asked for an export (CSV delimiter, language of the column names): what a link carries. */
export type ExportOptions = Pick<ExportRequest, 'delimiter' | 'locale'>;

const openedAt = (r: Round) => Date.parse(r.openedAt ?? r.opensAt);

/** The round asked for, or the most recently opened one (by openedAt, else opensAt); a draft never opened. */
export async function chooseRound(answers: AnswerStore, roundId?: string): Promise<Round> {
  const rounds = await answers.listRounds();
  if (roundId) {
    const round = rounds.find((r) => r.id === roundId);
    if (!round) throw new ExportError(`no round "${roundId}" in the store${rounds.length ? ` (rounds: ${rounds.map((r) => r.id).join(', ')})` : ''}`);
    return round;
  }
  const opened = rounds.filter((r) => r.status !== 'draft');
  if (opened.length === 0) throw new ExportError(rounds.length ? 'no round has been opened yet: name one with its id' : 'there are no rounds in the store');
  return opened.reduce((latest, r) => (openedAt(r) > openedAt(latest) ? r : latest));
}

async function completed(answers: AnswerStore, roundId: string): Promise<InterviewRecord[]> {
  const out: InterviewRecord[] = [];
  for await (const record of answers.listInterviews(roundId)) if (record.completedAt) out.push(record);
  return out.sort((a, b) => compareLetterCodes(a.code, b.code));
}

/** Reads a round's completed interviews and writes them in one format. Nothing identifying is read or written. */
export async function exportRound(request: ExportRequest): Promise<ExportFile[]> {
  const { stores, content, format } = request;
  const round = await chooseRound(stores.answers, request.roundId);
  const guide = content.guides.get(round.guide);
  const deck = content.decks.get(round.deck);
  if (!guide) throw new ExportError(`round "${round.id}" uses guide "${round.guide}", which is not in the content`);
  if (!deck) throw new ExportError(`round "${round.id}" uses deck "${round.deck}", which is not in the content`);

  const interviews = await completed(stores.answers, round.id);
  if (interviews.length === 0) throw new ExportError(`round "${round.id}" has no completed interviews yet: nothing to export`);
  const tokens = await stores.keys.numberTokens(round.id, interviews.map((r) => r.code));
  const model = buildModel({ round, guide, deck, interviews, numbers: numberCodes(tokens) });

  switch (format) {
    case 'csv': return csvFiles(model, { delimiter: request.delimiter ?? ',', locale: request.locale });
    case 'json': return [jsonFile(model)];
    case 'pqmethod': return pqmethodFiles(model);
    default: throw new ExportError(`unknown export format "${String(format)}"`);
  }
}
