import { cell } from '../../src/analysis/cell.js';

test('a cell inside the matrix is read, zero too; one outside it is an internal error', () => {
  const matrix = Float64Array.of(0, 1.5, -2, 3);
  expect([0, 1, 2, 3].map((index) => cell(matrix, index))).toEqual([0, 1.5, -2, 3]);
  expect(() => cell(matrix, 4)).toThrow('internal error: matrix cell is missing');
  expect(() => cell(matrix, -1)).toThrow('internal error: matrix cell is missing');
});
