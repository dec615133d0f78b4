import { defined } from '../defined.js';
/**
 * The cards-per-column line of a .DAT for an open distribution, by convention: the mean number of cards per column
 * over all sorts (unpicked cards count as column 0), apportioned to whole cards by largest remainder, so that the
 * counts sum to the number of statements. Ties go to the column nearer to 0, then to the lower column.
 * Returns the counts for the columns min..max; with no sorts every card is at 0.
 */
export function meanDistribution(sorts: number[][], min: number, max: number, statements: number): number[] {
  const columns = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  if (sorts.length === 0) return columns.map((c) => (c === 0 ? statements : 0));
  const pooled = columns.map((c) => sorts.reduce((n, sort) => n + sort.filter((v) => v === c).length, 0));
  // Integer arithmetic: whole part and remainder of pooled / number of sorts.
  const counts = pooled.map((p) => Math.floor(p / sorts.length));
  const remainderOf = (column: number) => defined(pooled[column], 'pooled count of a column') % sorts.length;
  const left = statements - counts.reduce((a, b) => a + b, 0);
  const order = columns
    .map((_, i) => i)
    .sort((a, b) => remainderOf(b) - remainderOf(a) || Math.abs(min + a) - Math.abs(min + b) || a - b);
  for (const i of order.slice(0, left)) counts[i] = defined(counts[i], 'count of a column') + 1;
  return counts;
}
