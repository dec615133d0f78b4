import { letterCode } from '../../src/interview/codes.js';

test('letter codes follow the thesis: A..Z, then AA, AB, ...', () => {
  expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(letterCode)).toEqual([
    'A',
    'B',
    'Z',
    'AA',
    'AB',
    'AZ',
    'BA',
    'ZZ',
    'AAA',
  ]);
});

test('codes are unique over a large range', () => {
  const codes = new Set(Array.from({ length: 60000 }, (_, i) => letterCode(i)));
  expect(codes.size).toBe(60000);
});

test('a negative or fractional index is refused', () => {
  expect(() => letterCode(-1)).toThrow(RangeError);
  expect(() => letterCode(1.5)).toThrow(RangeError);
});
