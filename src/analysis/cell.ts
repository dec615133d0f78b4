import { defined } from '../defined.js';

/**
 * The number at `index` of a vector or a flat row-major matrix, where the kernel's loop bounds guarantee the index
 * (its indices are built from the dimensions the array was allocated with).
 */
export function cell(values: Float64Array, index: number): number {
  return defined(values[index], 'matrix cell');
}
