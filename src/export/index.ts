import type { Content } from '../content/load.js';
import type { Locale } from '../interview/types.js';
import type { Round } from '../content/schema.js';
import type { AnswerStore, Stores } from '../ports/stores.js';
import { csvFiles, writeCsvFiles } from './csv.js';
import { csvWorkerCount, writeCsvFilesInWorkers } from './csvInWorkers.js';
import type { Delimiter } from './csvText.js';
import { ExportError } from './errors.js';
import { readAll, type ExportFile, type Sink, type StreamedFile } from './file.js';
import { jsonFile } from './json.js';
import { planExport, type ExportPlan } from './plan.js';
import { pqmethodFiles } from './pqmethod.js';

export { ExportError } from './errors.js';
export type { ExportFile, Sink, StreamedFile } from './file.js';
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
    if (!round)
      throw new ExportError(
        `no round "${roundId}" in the store${rounds.length ? ` (rounds: ${rounds.map((r) => r.id).join(', ')})` : ''}`,
      );
    return round;
  }
  const opened = rounds.filter((r) => r.status !== 'draft');
  if (opened.length === 0)
    throw new ExportError(
      rounds.length ? 'no round has been opened yet: name one with its id' : 'there are no rounds in the store',
    );
  return opened.reduce((latest, r) => (openedAt(r) > openedAt(latest) ? r : latest));
}

/** The plan of the round asked for (the most recently opened one without an id), with its content. */
export async function planRequest(request: ExportRequest): Promise<ExportPlan> {
  const { stores, content } = request;
  const round = await chooseRound(stores.answers, request.roundId);
  const guide = content.guides.get(round.guide);
  const deck = content.decks.get(round.deck);
  if (!guide) throw new ExportError(`round "${round.id}" uses guide "${round.guide}", which is not in the content`);
  if (!deck) throw new ExportError(`round "${round.id}" uses deck "${round.deck}", which is not in the content`);
  return planExport(stores, round, guide, deck);
}

/**
 * A round's completed interviews in one format, as files made while they are read: the store is read a page at a
 * time, in the order each file needs. Nothing identifying is read or written. Problems known before the first row
 * (no such round, nothing completed, a format's limits) are thrown here; a record found invalid while reading
 * ends that file's stream with the ExportError.
 */
export async function exportStreams(request: ExportRequest): Promise<StreamedFile[]> {
  const plan = await planRequest(request);
  switch (request.format) {
    case 'csv':
      return csvFiles(plan, { delimiter: request.delimiter ?? ',', locale: request.locale });
    case 'json':
      return [jsonFile(plan)];
    case 'pqmethod':
      return pqmethodFiles(plan);
    default:
      throw new ExportError(`unknown export format "${String(request.format)}"`);
  }
}

/**
 * Writes every file of the export to its sink and returns their names: CSV from one read of the store, the other
 * formats file by file as they stream.
 */
export async function exportTo(request: ExportRequest, open: (name: string) => Sink): Promise<string[]> {
  if (request.format === 'csv') {
    const plan = await planRequest(request);
    const options = { delimiter: request.delimiter ?? ',', locale: request.locale };
    const names = csvFiles(plan, options).map((f) => f.name);
    const workers = plan.texts ? csvWorkerCount() : 0;
    if (workers > 0) await writeCsvFilesInWorkers(plan, options, open, workers);
    else await writeCsvFiles(plan, options, open);
    return names;
  }
  const files = await exportStreams(request);
  for (const file of files) {
    const sink = open(file.name);
    for await (const chunk of file.chunks()) await sink.write(chunk);
    await sink.end();
  }
  return files.map((f) => f.name);
}

/** The same files, each read to its end in memory (tests; small rounds). */
export async function exportRound(request: ExportRequest): Promise<ExportFile[]> {
  return Promise.all((await exportStreams(request)).map(readAll));
}
