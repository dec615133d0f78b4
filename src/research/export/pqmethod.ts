import { pqLine } from './ascii.js';
import { meanDistribution } from './distribution.js';
import { ExportError } from './errors.js';
import type { ExportFile } from './file.js';
import type { ExportModel } from './model.js';

/** Line 2 lists cards per column for 20 columns from -6 upward (PQMethod's own files do). */
const FIRST_COLUMN = -6;
const COLUMNS = 20;
const TITLE_MAX = 68;
const STATEMENT_MAX = 60;
/** PQMethod is a DOS program; qmethod (readLines/read.fwf) and Ken-Q (split on \r\n|\r|\n) accept CRLF too. */
const EOL = '\r\n';

const right = (n: number, width: number) => String(n).padStart(width);

/** The sort values in statement order; a card that was not picked is written as 0. */
function values(model: ExportModel): number[][] {
  return model.sorts.map((sort) => model.statements.map((s) => sort.placement[s.competency.id] ?? 0));
}

function check(model: ExportModel): void {
  const { min, max } = model.guide.scale;
  if (min < FIRST_COLUMN || max > FIRST_COLUMN + COLUMNS - 1 || min < -9 || max > 99) throw new ExportError(`the scale ${min}..${max} does not fit a PQMethod file`);
  if (min > 0 || max < 0) throw new ExportError(`the scale ${min}..${max} has no column 0 for the cards that were not picked`);
  if (model.sorts.length > 999 || model.statements.length > 999) throw new ExportError('a PQMethod file holds at most 999 sorts and 999 statements');
  const long = model.sorts.find((s) => s.participant.length > 10);
  if (long) throw new ExportError(`the sort name ${long.participant} is longer than 10 characters`);
}

export function pqmethodFiles(model: ExportModel): ExportFile[] {
  check(model);
  const { min, max } = model.guide.scale;
  const sorts = values(model);
  const n = model.statements.length;

  const header = `  0${right(sorts.length, 3)}${right(n, 3)} ${pqLine(model.round.name.nl, TITLE_MAX)}`;
  const counts = meanDistribution(sorts, min, max, n);
  const perColumn = Array.from({ length: COLUMNS }, (_, i) => {
    const column = FIRST_COLUMN + i;
    return column >= min && column <= max ? counts[column - min] : 0;
  });
  const distribution = [min, max, ...perColumn].map((v) => right(v, 3)).join('');
  const lines = model.sorts.map((sort, i) => sort.participant.padEnd(10) + sorts[i].map((v) => right(v, 2)).join(''));
  const dat = [header, distribution, ...lines].map((l) => l + EOL).join('');

  const sta = model.statements.map((s) => pqLine(s.competency.name.nl, STATEMENT_MAX) + EOL).join('');
  return [
    // ASCII only (toAscii), so any charset reads it; text/plain lets a browser show it instead of guessing.
    { name: `${model.round.id}.DAT`, content: dat, contentType: 'text/plain; charset=us-ascii' },
    { name: `${model.round.id}.STA`, content: sta, contentType: 'text/plain; charset=us-ascii' },
  ];
}
