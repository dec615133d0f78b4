import { at, defined, only } from './defined.js';

describe('reading entries a test expects', () => {
  it('returns what is there', () => {
    expect(defined(0, 'a count')).toBe(0);
    expect(at(['a', 'b', 'c'], 1)).toBe('b');
    expect(at(['a', 'b', 'c'], -1)).toBe('c');
    expect(only([null], 'reply')).toBeNull();
  });

  it('fails saying what was missing', () => {
    expect(() => defined(undefined, 'the consent card')).toThrow('Expected the consent card, found nothing');
    expect(() => at(['a'], 3, 'reply')).toThrow('Expected reply at index 3 of a list of 1, found nothing');
    expect(() => at([], -1, 'reply')).toThrow('Expected reply at index -1 of a list of 0, found nothing');
    expect(() => at(['a'], NaN, 'reply')).toThrow('Expected reply at index NaN of a list of 1, found nothing');
    expect(() => only(['a', 'b'], 'card')).toThrow('Expected exactly one card, found 2');
    expect(() => only([], 'card')).toThrow('Expected exactly one card, found 0');
  });
});
