import fc from 'fast-check';
import { compareLetterCodes, inTokenOrder, numberCodes, participantAt } from '../../src/export/codes.js';
import { ExportError } from '../../src/export/errors.js';
import { letterCode } from '../../src/interview/codes.js';

/** The R order as it was first written: pairs of code and token, sorted by token, a tie by letter code. */
function byPairs(tokens: Record<string, string>): string[] {
  return Object.entries(tokens)
    .sort(([a, ta], [b, tb]) => (ta < tb ? -1 : ta > tb ? 1 : compareLetterCodes(a, b)))
    .map(([code]) => code);
}

// Short tokens from a small alphabet, so that ties and shared prefixes are common.
const tokensArb = fc.uniqueArray(fc.nat({ max: 400 }), { maxLength: 120 }).chain((indexes) =>
  fc.tuple(
    fc.constant(indexes.map(letterCode)),
    fc.array(fc.string({ unit: fc.constantFrom('0', '9', 'a', 'f', 'é'), minLength: 1, maxLength: 3 }), {
      minLength: indexes.length,
      maxLength: indexes.length,
    }),
  ),
);

test('inTokenOrder: the codes in token order, ties by letter code, as the pairs sort put them', () => {
  fc.assert(
    fc.property(tokensArb, ([codes, tokens]) => {
      const record = Object.fromEntries(codes.map((code, i) => [code, tokens[i] ?? '']));
      expect(inTokenOrder(codes, tokens)).toEqual(byPairs(record));
      // The order the codes come in does not matter.
      expect(inTokenOrder([...codes].reverse(), [...tokens].reverse())).toEqual(byPairs(record));
    }),
  );
});

test('numberCodes: R1..Rn in token order', () => {
  const numbers = numberCodes(['A', 'B', 'C', 'D'], ['c3', 'a1', 'b2', 'a1']);
  expect([...numbers]).toEqual([
    ['B', 'R1'],
    ['D', 'R2'],
    ['C', 'R3'],
    ['A', 'R4'],
  ]);
  expect(participantAt(0)).toBe('R1');
  expect(participantAt(59_999)).toBe('R60000');
});

test('an interview without a number token is refused', () => {
  expect(() => inTokenOrder(['A', 'B'], ['a1', ''])).toThrow(ExportError);
  expect(() => numberCodes(['A', 'B'], ['a1', ''])).toThrow(ExportError);
});
