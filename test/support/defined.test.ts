import { at, cell, defined, only } from './defined.js';

describe('reading entries a test expects', () => {
  it('returns what is there', () => {
    expect(defined(0, 'a count')).toBe(0);
    expect(at(['a', 'b', 'c'], 1)).toBe('b');
    expect(at(['a', 'b', 'c'], -1)).toBe('c');
    expect(only([null], 'reply')).toBeNull();
    expect(at(Float64Array.of(0.5, 1.5), 1)).toBe(1.5);
    expect(
      cell(
        [
          [1, 2],
          [3, 4],
        ],
        1,
        0,
      ),
    ).toBe(3);
  });

  it('fails saying what was missing', () => {
    expect(() => defined(undefined, 'the consent card')).toThrow('Expected the consent card, found nothing');
    expect(() => at(['a'], 3, 'reply')).toThrow('Expected reply at index 3 of a list of 1, found nothing');
    expect(() => at([], -1, 'reply')).toThrow('Expected reply at index -1 of a list of 0, found nothing');
    expect(() => at(['a'], NaN, 'reply')).toThrow('Expected reply at index NaN of a list of 1, found nothing');
    expect(() => only(['a', 'b'], 'card')).toThrow('Expected exactly one card, found 2');
    expect(() => only([], 'card')).toThrow('Expected exactly one card, found 0');
    expect(() => cell([[1, 2]], 1, 0, 'loadings')).toThrow('Expected loadings row at index 1 of a list of 1');
    expect(() => cell([[1, 2]], 0, 2, 'loadings')).toThrow('Expected loadings row 0, column at index 2 of a list of 2');
  });
});
