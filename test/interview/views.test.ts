import { columnLabel } from '../../src/interview/views.js';
import { contextFor } from '../support/context.js';

test.each([
  ['nl', -3, '-3 · sluit niet aan'],
  ['en', -3, '-3 · does not fit'],
  // A column stored before the guide's scale shrank has no label any more: its number still shows.
  ['nl', 5, '+5'],
  ['en', -9, '-9'],
] as const)('column label (%s, %d)', (locale, column, label) => {
  expect(columnLabel(contextFor({ locale }), column)).toBe(label);
});
