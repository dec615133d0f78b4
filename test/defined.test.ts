import { defined } from '../src/defined.js';

test('a value that is there comes back unchanged, falsy ones too', () => {
  const row = [0, '', false, null] as const;
  expect(row.map((_, index) => defined(row[index], 'cell'))).toEqual([0, '', false, null]);
});

test('a miss stops with an internal error that names what was missing', () => {
  const loadings = new Float64Array(2);
  expect(() => defined(loadings[2], 'loading')).toThrow('internal error: loading is missing');
  expect(() => defined(new Map<string, number>().get('x'), 'column of x')).toThrow(
    'internal error: column of x is missing',
  );
});
