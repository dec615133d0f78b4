import { pqLine } from './ascii.js';
import { meanDistribution } from './distribution.js';
import { ExportError } from './errors.js';
import { streamed, type StreamedFile } from './file.js';
import { sortRow } from './model.js';
import { byNumber, type ExportPlan } from './plan.js';
import { defined } from '../defined.js';

/** Line 2 lists cards per column for 20 columns from -6 upward (PQMethod's own files do). */
const FIRST_COLUMN = -6;
const COLUMNS = 20;
const TITLE_MAX = 68;
const STATEMENT_MAX = 60;
/** PQMethod is a DOS program; qmethod (readLines/read.fwf) and Ken-Q (split on \r\n|\r|\n) accept CRLF too. */
const EOL = '\r\n';

const right = (n: number, width: number) => String(n).padStart(width);

function check(plan: ExportPlan): void {
  const { min, max } = plan.guide.scale;
  if (min < FIRST_COLUMN || max > FIRST_COLUMN + COLUMNS - 1 || min < -9 || max > 99)
    throw new ExportError(`the scale ${min}..${max} does not fit a PQMethod file`);
  if (min > 0 || max < 0)
    throw new ExportError(`the scale ${min}..${max} has no column 0 for the cards that were not picked`);
  if (plan.numbered.length > 999 || plan.statements.length > 999)
    throw new ExportError('a PQMethod file holds at most 999 sorts and 999 statements');
  const long = plan.numbered.find((s) => s.participant.length > 10);
  if (long) throw new ExportError(`the sort name ${long.participant} is longer than 10 characters`);
}

/**
 * The .DAT's second line needs every sort before the first sort line, so the sorts are held: at most 999 (the
 * format's limit, checked before a record is read), so memory stays bounded.
 */
async function datLines(plan: ExportPlan): Promise<string[]> {
  const { min, max } = plan.guide.scale;
  const rows: { participant: string; values: number[] }[] = [];
  // The sort values in statement order; a card that was not picked is written as 0.
  for await (const { record, participant } of byNumber(plan)) {
    const sort = sortRow(plan, record, participant);
    rows.push({ participant, values: plan.statements.map((s) => sort.placement[s.competency.id] ?? 0) });
  }
  const sorts = rows.map((r) => r.values);
  const n = plan.statements.length;

  const header = `  0${right(sorts.length, 3)}${right(n, 3)} ${pqLine(plan.round.name.nl, TITLE_MAX)}`;
  const counts = meanDistribution(sorts, min, max, n);
  const perColumn = Array.from({ length: COLUMNS }, (_, i) => {
    const column = FIRST_COLUMN + i;
    return column >= min && column <= max ? defined(counts[column - min], 'count of a column') : 0;
  });
  const distribution = [min, max, ...perColumn].map((v) => right(v, 3)).join('');
  const lines = rows.map((r) => r.participant.padEnd(10) + r.values.map((v) => right(v, 2)).join(''));
  return [header, distribution, ...lines].map((l) => l + EOL);
}

export function pqmethodFiles(plan: ExportPlan): StreamedFile[] {
  check(plan);
  // ASCII only (toAscii), so any charset reads it; text/plain lets a browser show it instead of guessing.
  const type = 'text/plain; charset=us-ascii';
  return [
    streamed(
      `${plan.round.id}.DAT`,
      async function* () {
        yield* await datLines(plan);
      },
      type,
    ),
    streamed(
      `${plan.round.id}.STA`,
      () => plan.statements.map((s) => pqLine(s.competency.name.nl, STATEMENT_MAX) + EOL),
      type,
    ),
  ];
}
